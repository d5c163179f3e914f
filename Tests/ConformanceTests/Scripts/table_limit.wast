;; A table grows to at most 10,000,000 elements (the JS API's limit; WK_TABLE_LIMIT in
;; Runtime/src/table.c): table.grow past it returns -1 and changes nothing, as the spec
;; lets any grow fail. Scripts/fuzz found the difference: wasmtime grows an externref
;; table by 1,891,252,659 elements, so the fuzzer now gives wasmtime our limit.

(module
  (table $t 1 externref)
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null extern) (local.get 0)))
  (func (export "size") (result i32) (table.size $t))
  (func (export "last-is-null") (result i32) (ref.is_null (table.get $t (i32.const 9999999)))))

(assert_return (invoke "grow" (i32.const 1891252659)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "grow" (i32.const 9999999)) (i32.const 1))
(assert_return (invoke "size") (i32.const 10000000))
(assert_return (invoke "last-is-null") (i32.const 1))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0)) (i32.const 10000000))
(assert_return (invoke "size") (i32.const 10000000))
