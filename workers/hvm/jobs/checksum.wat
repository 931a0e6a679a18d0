;; The demo job: reads all of stdin and prints its 32-bit FNV-1a hash as 8 hex digits and a newline.
;; Memory: iovec at 0, nread at 8, output iovec at 16, nwritten at 24, output text at 32,
;; hex digits at 48, input chunks from 1024 to the end of the page.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 48) "0123456789abcdef")

  (func (export "_start")
    (local $hash i32) (local $n i32) (local $i i32)
    (local.set $hash (i32.const 0x811c9dc5))
    (block $eof
      (loop $read
        (i32.store (i32.const 0) (i32.const 1024))
        (i32.store (i32.const 4) (i32.const 64512))
        (if (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8))
          (then (call $proc_exit (i32.const 2))))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $eof (i32.eqz (local.get $n)))
        (local.set $i (i32.const 0))
        (loop $byte
          (local.set $hash
            (i32.mul (i32.xor (local.get $hash) (i32.load8_u offset=1024 (local.get $i))) (i32.const 0x01000193)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $byte (i32.lt_u (local.get $i) (local.get $n))))
        (br $read)))
    ;; most significant nibble first
    (local.set $i (i32.const 0))
    (loop $hex
      (i32.store8 offset=32 (local.get $i)
        (i32.load8_u offset=48
          (i32.and (i32.shr_u (local.get $hash) (i32.sub (i32.const 28) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 15))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $hex (i32.lt_u (local.get $i) (i32.const 8))))
    (i32.store8 (i32.const 40) (i32.const 10))
    (i32.store (i32.const 16) (i32.const 32))
    (i32.store (i32.const 20) (i32.const 9))
    (if (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))
      (then (call $proc_exit (i32.const 3))))))
