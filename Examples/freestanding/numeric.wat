;; A numeric module for the freestanding example: integer and float arithmetic and a
;; loop over linear memory, with no imports.
(module
  (memory (export "memory") 1 4)

  ;; n! by recursion.
  (func (export "factorial") (param $n i64) (result i64)
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call 0 (i64.sub (local.get $n) (i64.const 1)))))))

  ;; The n-th Fibonacci number, by iteration.
  (func (export "fibonacci") (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $a))

  ;; The distance from (0, 0) to (x, y), floored to hundredths: floor(100 * sqrt(x*x + y*y)) / 100.
  (func (export "distance") (param $x f64) (param $y f64) (result f64)
    (f64.div
      (f64.floor (f64.mul (f64.const 100)
        (f64.sqrt (f64.add (f64.mul (local.get $x) (local.get $x)) (f64.mul (local.get $y) (local.get $y))))))
      (f64.const 100)))

  ;; pi by the Leibniz series over n terms.
  (func (export "leibniz") (param $n i32) (result f64)
    (local $sum f64) (local $k i32) (local $sign f64)
    (local.set $sign (f64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $sum (f64.add (local.get $sum)
          (f64.div (local.get $sign) (f64.convert_i32_u (i32.add (i32.mul (local.get $k) (i32.const 2)) (i32.const 1))))))
        (local.set $sign (f64.neg (local.get $sign)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (f64.mul (local.get $sum) (f64.const 4)))

  ;; Wasm's rounding instructions, for checking their exact results (signed zeros, ties).
  (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
  (func (export "ceil") (param f64) (result f64) (f64.ceil (local.get 0)))
  (func (export "trunc") (param f32) (result f32) (f32.trunc (local.get 0)))
  (func (export "min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))

  ;; Stores i * i at 4 * i for i < n, then adds them up: sum of squares below n.
  ;; Grows the memory first when n words do not fit.
  (func (export "sum_squares") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (if (i32.gt_u (i32.mul (local.get $n) (i32.const 4)) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.mul (local.get $i) (i32.const 4)) (i32.mul (local.get $i) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (i32.load (i32.mul (local.get $i) (i32.const 4))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; For traps: a division and a load the caller may make fail.
  (func (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "pages") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
