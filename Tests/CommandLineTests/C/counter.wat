;; A second module for api_test.c: linked into the same program as calc.
(module
  (global $value (mut i32) (i32.const 0))
  (func (export "add") (param $n i32) (result i32)
    (global.set $value (i32.add (global.get $value) (local.get $n)))
    (global.get $value)))
