;; Never ends: spins until the gas or the wall clock runs out.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $spin (br $spin))))
