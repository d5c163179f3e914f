;; GC objects that leave as externrefs (extern.convert_any) are kept alive by what holds
;; them: an externref global, an externref table, a struct's externref field and an
;; externref array. Each is read back after allocations that make the collector run many
;; times; a freed object would give another value (or a cast failure).
(module
  (type $box (struct (field i32)))
  (type $holder (struct (field (mut externref))))
  (type $externs (array (mut externref)))
  (global $global (mut externref) (ref.null extern))
  (global $holder (mut (ref null $holder)) (ref.null $holder))
  (global $array (mut (ref null $externs)) (ref.null $externs))
  (table $table 1 externref)
  (func $externalized (param i32) (result externref)
    (extern.convert_any (struct.new $box (local.get 0))))
  (func $value (param externref) (result i32)
    (struct.get $box 0 (ref.cast (ref $box) (any.convert_extern (local.get 0)))))
  (func (export "keep")
    (global.set $global (call $externalized (i32.const 1)))
    (table.set $table (i32.const 0) (call $externalized (i32.const 2)))
    (global.set $holder (struct.new $holder (call $externalized (i32.const 3))))
    (global.set $array (array.new $externs (call $externalized (i32.const 4)) (i32.const 1))))
  (func (export "churn") (param $n i32)
    (loop $more
      (drop (struct.new $box (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $more (local.get $n))))
  ;; A local externref holds one across allocations too.
  (func (export "local") (result i32)
    (local $kept externref)
    (local.set $kept (call $externalized (i32.const 5)))
    (call $churn_here (i32.const 200000))
    (call $value (local.get $kept)))
  (func $churn_here (param $n i32)
    (loop $more
      (drop (struct.new $box (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $more (local.get $n))))
  (func (export "sum") (result i32)
    (i32.add
      (i32.add (call $value (global.get $global)) (call $value (table.get $table (i32.const 0))))
      (i32.add (call $value (struct.get $holder 0 (global.get $holder)))
               (call $value (array.get $externs (global.get $array) (i32.const 0))))))
  ;; A host value goes in and comes back out unchanged; an i31 goes out and comes back.
  (func (export "host") (param externref) (result externref)
    (extern.convert_any (any.convert_extern (local.get 0))))
  (func (export "i31") (param i32) (result i32)
    (i31.get_u (ref.cast (ref i31) (any.convert_extern (extern.convert_any (ref.i31 (local.get 0)))))))
  ;; A boxed host value is in any's hierarchy but not eq's.
  (func (export "host_is_eq") (param externref) (result i32)
    (ref.test (ref eq) (any.convert_extern (local.get 0)))))
(invoke "keep")
(invoke "churn" (i32.const 300000))
(assert_return (invoke "sum") (i32.const 10))
(assert_return (invoke "local") (i32.const 5))
(assert_return (invoke "host" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "i31" (i32.const 0x7fffffff)) (i32.const 0x7fffffff))
(assert_return (invoke "host_is_eq" (ref.extern 7)) (i32.const 0))
