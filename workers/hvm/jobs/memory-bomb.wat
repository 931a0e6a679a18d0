;; Declares no memory maximum and grows by 1 MiB (16 pages) forever, ignoring failures.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $grow
      (drop (memory.grow (i32.const 16)))
      (br $grow))))
