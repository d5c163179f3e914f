;; A SIMD load whose value is never used must still trap when it is out of bounds, in
;; guard-page mode too (the C compiler would otherwise delete it): every load form.
(module
  (memory 1)
  (func (export "v128") (param i32) (drop (v128.load (local.get 0))))
  (func (export "extend") (param i32) (drop (v128.load8x8_s (local.get 0))))
  (func (export "splat") (param i32) (drop (v128.load32_splat (local.get 0))))
  (func (export "zero") (param i32) (drop (v128.load64_zero (local.get 0))))
  (func (export "lane") (param i32) (drop (v128.load16_lane 3 (local.get 0) (v128.const i64x2 0 0))))
  (func (export "offset") (param i32) (drop (v128.load offset=65520 (local.get 0)))))

(assert_return (invoke "v128" (i32.const 65520)))
(assert_trap (invoke "v128" (i32.const 65521)) "out of bounds memory access")
(assert_return (invoke "extend" (i32.const 65528)))
(assert_trap (invoke "extend" (i32.const 65529)) "out of bounds memory access")
(assert_return (invoke "splat" (i32.const 65532)))
(assert_trap (invoke "splat" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "zero" (i32.const 65528)))
(assert_trap (invoke "zero" (i32.const 65529)) "out of bounds memory access")
(assert_return (invoke "lane" (i32.const 65534)))
(assert_trap (invoke "lane" (i32.const 65535)) "out of bounds memory access")
(assert_return (invoke "offset" (i32.const 0)))
(assert_trap (invoke "offset" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "offset" (i32.const -1)) "out of bounds memory access")
