;; Exceptions between Wasm and its host (exceptions_test.c): a host function that throws
;; a Wasm exception, caught in Wasm or reaching the embedder, also through a table.
(module
  (import "host" "parse" (func $parse (param i32) (result i32)))
  (tag $failure (export "failure") (param i32))
  (table funcref (elem $parse_twice))
  (func $parse_twice (param i32) (result i32)
    (i32.add (call $parse (local.get 0)) (call $parse (local.get 0))))
  ;; The host's exception is caught here: its value plus 1000.
  (func (export "guarded") (param $x i32) (result i32)
    (local $calls i32)
    (block $caught (result i32)
      (try_table (catch $failure $caught)
        (local.set $calls (i32.const 1))
        (return (call $parse (local.get $x))))
      (unreachable))
    (i32.add (i32.const 1000))
    ;; $calls was set inside the try body: it must read 1 after the throw.
    (i32.add (i32.mul (local.get $calls) (i32.const 10000))))
  ;; Not caught: the embedder gets it.
  (func (export "unguarded") (param $x i32) (result i32)
    (call $parse (local.get $x)))
  ;; Through call_indirect, caught.
  (func (export "indirect") (param $x i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $failure $caught)
        (return (call_indirect (param i32) (result i32) (local.get $x) (i32.const 0))))
      (unreachable))
    (i32.sub (i32.const 0)))
)
