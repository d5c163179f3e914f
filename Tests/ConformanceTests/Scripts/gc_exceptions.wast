;; GC objects carried by an exception the module keeps as an exnref (catch_ref, and the
;; legacy catch a rethrow names) stay alive while it is kept: each is read back after
;; allocations that make the collector run many times; a freed object would give another
;; value (or a cast failure).
(module
  (type $box (struct (field i32)))
  (tag $carry (param (ref null $box) i64 anyref))
  (global $kept (mut exnref) (ref.null exn))
  (func $churn (param $n i32)
    (loop $more
      (drop (struct.new $box (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $more (local.get $n))))
  ;; The payload: a box of v, a number, and a box of v + 1 as an anyref.
  (func $throw (param $v i32)
    (throw $carry (struct.new $box (local.get $v)) (i64.const 7)
                  (struct.new $box (i32.add (local.get $v) (i32.const 1)))))
  (func $read (param $exception exnref) (result i32)
    (local $other (ref null $box))
    (block $caught (result (ref null $box) i64 anyref)
      (try_table (catch $carry $caught) (throw_ref (local.get $exception)))
      (unreachable))
    (local.set $other (ref.cast (ref $box)))
    (drop)
    (i32.add (struct.get $box 0) (struct.get $box 0 (local.get $other))))
  (func (export "keep") (param $v i32)
    (global.set $kept
      (block $caught (result exnref)
        (try_table (catch_all_ref $caught) (call $throw (local.get $v)))
        (ref.null exn))))
  (func (export "churn") (param $n i32) (call $churn (local.get $n)))
  (func (export "read") (result i32) (call $read (global.get $kept)))
  ;; Kept in a local across allocations, caught by tag with catch_ref.
  (func (export "local") (param $v i32) (result i32)
    (local $exception exnref)
    (local.set $exception
      (block $caught (result (ref null $box) i64 anyref exnref)
        (try_table (catch_ref $carry $caught) (call $throw (local.get $v)))
        (unreachable)))
    (drop) (drop) (drop)
    (call $churn (i32.const 3000000))
    (call $read (local.get $exception)))
)
(invoke "keep" (i32.const 20))
(invoke "churn" (i32.const 3000000))
(assert_return (invoke "read") (i32.const 41))
(assert_return (invoke "local" (i32.const 30)) (i32.const 61))
(invoke "churn" (i32.const 3000000))
(assert_return (invoke "read") (i32.const 41))

;; The legacy form, a catch block that rethrows, keeps the exception while it allocates.
;; WAT reads no `try` and wast2json no GC: the module below, encoded by wasm-tools.
;; (module
;;   (type $box (struct (field i32)))
;;   (tag $carry (param (ref null $box) i64 anyref))
;;   (func $churn (param $n i32)
;;     (loop $more
;;       (drop (struct.new $box (local.get $n)))
;;       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
;;       (br_if $more (local.get $n))))
;;   (func $throw (param $v i32)
;;     (throw $carry (struct.new $box (local.get $v)) (i64.const 7)
;;                   (struct.new $box (i32.add (local.get $v) (i32.const 1)))))
;;   (func (export "legacy") (param $v i32) (result i32)
;;     (local $other (ref null $box))
;;     (block $outer (result (ref null $box) i64 anyref)
;;       (try_table (catch $carry $outer)
;;         try
;;           (call $throw (local.get $v))
;;         catch $carry
;;           drop drop drop
;;           (call $churn (i32.const 3000000))
;;           rethrow 0
;;         end)
;;       (unreachable))
;;     (local.set $other (ref.cast (ref $box)))
;;     (drop)
;;     (i32.add (struct.get $box 0) (struct.get $box 0 (local.get $other))))
;; )
(module binary
  "\00\61\73\6d\01\00\00\00\01\1c\05\5f\01\7f\00\60\03\63\00\7e\6e\00\60\01\7f\00\60\01\7f\01\7f\60"
  "\00\03\63\00\7e\6e\03\04\03\02\02\03\0d\03\01\00\01\07\0a\01\06\6c\65\67\61\63\79\00\02\0a\63\03"
  "\16\00\03\40\20\00\fb\00\00\1a\20\00\41\01\6b\21\00\20\00\0d\00\0b\0b\13\00\20\00\fb\00\00\42\07"
  "\20\00\41\01\6a\fb\00\00\08\00\0b\36\01\01\63\00\02\04\1f\40\01\00\00\00\06\40\20\00\10\01\07\00"
  "\1a\1a\1a\41\c0\8d\b7\01\10\00\09\00\0b\0b\00\0b\fb\16\00\21\01\1a\fb\02\00\00\20\01\fb\02\00\00"
  "\6a\0b\00\55\04\6e\61\6d\65\01\0f\02\00\05\63\68\75\72\6e\01\05\74\68\72\6f\77\02\17\03\00\01\00"
  "\01\6e\01\01\00\01\76\02\02\00\01\76\01\05\6f\74\68\65\72\03\12\02\00\01\00\04\6d\6f\72\65\02\01"
  "\00\05\6f\75\74\65\72\04\06\01\00\03\62\6f\78\0b\08\01\00\05\63\61\72\72\79")
(assert_return (invoke "legacy" (i32.const 40)) (i32.const 81))
