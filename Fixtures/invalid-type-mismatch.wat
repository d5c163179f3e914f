;; Invalid on purpose: $half computes an f64 but its signature promises an i32.
;; `wasmkiln validate` reports a type mismatch in func 0 (half).
(module
  (func $half (export "half") (param $x f64) (result i32)
    (f64.div (local.get $x) (f64.const 2))))
