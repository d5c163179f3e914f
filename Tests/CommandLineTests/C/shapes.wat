;; GC objects handed to C through the typed header (LibraryTests.gcObjects, shapes_test.c):
;; named struct and array types, exported functions that make, read and drop them.
(module
  (type $point (struct (field $x (mut i32)) (field $y f64)))
  (type $path (array (mut (ref null $point))))
  (type $bytes (array (mut i8)))
  (func (export "make_point") (param $x i32) (param $y f64) (result (ref $point))
    (struct.new $point (local.get $x) (local.get $y)))
  ;; A path of n points (i, i / 2).
  (func (export "make_path") (param $n i32) (result (ref $path))
    (local $path (ref null $path))
    (local $i i32)
    (local.set $path (array.new_default $path (local.get $n)))
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (array.set $path (local.get $path) (local.get $i)
          (struct.new $point (local.get $i) (f64.div (f64.convert_i32_u (local.get $i)) (f64.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (ref.as_non_null (local.get $path)))
  ;; The sum of the points' x.
  (func (export "path_sum") (param $path (ref null $path)) (result i32)
    (local $i i32)
    (local $sum i32)
    (block $done
      (loop $add
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $path))))
        (local.set $sum (i32.add (local.get $sum)
          (struct.get $point $x (array.get $path (local.get $path) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
    (local.get $sum))
  ;; Allocates n points and drops them: enough makes the collector run.
  (func (export "churn") (param $n i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (drop (struct.new $point (local.get $n) (f64.const 0)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more))))
  (func (export "make_bytes") (result (ref $bytes))
    (array.new $bytes (i32.const 65) (i32.const 3))))
