;; The smallest useful module: one exported function, with names kept in the name section.
(module $add
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))))
