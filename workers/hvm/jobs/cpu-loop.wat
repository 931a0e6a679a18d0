;; CPU-bound benchmark: stdin is a decimal iteration count; runs a 64-bit xorshift and
;; multiply-accumulate that many times and prints the accumulator as 16 hex digits and a newline.
;; Memory: iovec at 0, nread at 8, output iovec at 16, nwritten at 24, output text at 32,
;; hex digits at 64, input at 1024.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 64) "0123456789abcdef")

  ;; the leading decimal digits of stdin (at most 32 bytes are read)
  (func $count (result i64)
    (local $n i64) (local $i i32) (local $len i32) (local $c i32)
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 32))
    (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)) (then (unreachable)))
    (local.set $len (i32.load (i32.const 8)))
    (block $end
      (loop $digit
        (br_if $end (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.sub (i32.load8_u offset=1024 (local.get $i)) (i32.const 48)))
        (br_if $end (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $n (i64.add (i64.mul (local.get $n) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $digit)))
    (local.get $n))

  (func (export "_start")
    (local $n i64) (local $i i64) (local $x i64) (local $acc i64) (local $k i32)
    (local.set $n (call $count))
    (local.set $x (i64.const 0x9e3779b97f4a7c15))
    (block $done
      (br_if $done (i64.eqz (local.get $n)))
      (loop $iter
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 0x100000001b3)) (local.get $x)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br_if $iter (i64.lt_u (local.get $i) (local.get $n)))))
    (loop $hex
      (i32.store8 offset=32 (local.get $k)
        (i32.load8_u offset=64
          (i32.wrap_i64 (i64.and
            (i64.shr_u (local.get $acc) (i64.extend_i32_u (i32.sub (i32.const 60) (i32.shl (local.get $k) (i32.const 2)))))
            (i64.const 15)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $hex (i32.lt_u (local.get $k) (i32.const 16))))
    (i32.store8 (i32.const 48) (i32.const 10))
    (i32.store (i32.const 16) (i32.const 32))
    (i32.store (i32.const 20) (i32.const 17))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
