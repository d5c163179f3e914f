;; The README's C API example: a host import that reads the caller's memory, and an
;; export that can trap.
(module
  (import "host" "print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from wasm")
  (func (export "greet") (call $print (i32.const 0) (i32.const 15)))
  (func (export "divide") (param $a i32) (param $b i32) (result i32)
    (i32.div_u (local.get $a) (local.get $b))))
