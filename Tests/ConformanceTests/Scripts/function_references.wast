;; Typed function references where WasmKiln's lowering has choices of its own: call_ref
;; through an imported function's reference and through a table with an initializer,
;; several results, br_on_null and br_on_non_null with values under the reference and a
;; local's value not yet in its slot, return_call_ref in a loop deeper than any stack, and
;; the null traps.
(module $M
  (type $unary (func (param i32) (result i32)))
  (func (export "inc") (type $unary) (i32.add (local.get 0) (i32.const 1)))
)
(register "M")

(module
  (type $unary (func (param i32) (result i32)))
  (type $pair (func (param i32) (result i32 i32)))
  (import "M" "inc" (func $inc (type $unary)))
  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
  (func $split (type $pair) (local.get 0) (i32.add (local.get 0) (i32.const 10)))
  (table $t 3 (ref $unary) (ref.func $double))
  (global $g (mut (ref null $unary)) (ref.null $unary))
  (elem declare func $inc $double $split $down)
  (elem (table $t) (i32.const 1) (ref $unary) (ref.func $inc))

  (func (export "call-import") (param i32) (result i32)
    (call_ref $unary (local.get 0) (ref.func $inc)))
  (func (export "call-table") (param i32 i32) (result i32)
    (call_ref $unary (local.get 0) (table.get $t (local.get 1))))
  (func (export "call-global") (param i32) (result i32)
    (call_ref $unary (local.get 0) (global.get $g)))
  (func (export "set-global") (param i32)
    (global.set $g (select (result (ref null $unary)) (ref.func $double) (ref.null $unary) (local.get 0))))
  (func (export "call-pair") (param i32) (result i32)
    (call_ref $pair (local.get 0) (ref.func $split))
    (i32.sub))

  ;; Null: the block gets the i32 under the reference. Not null: the call consumes it.
  (func $or-default (param $f (ref null $unary)) (param $x i32) (result i32)
    (block $null (result i32)
      (local.get $x)
      (local.get $f)
      (br_on_null $null)
      (call_ref $unary)
      (return))
    (i32.const 1000)
    (i32.add))
  (func (export "or-default") (param i32 i32) (result i32)
    (call $or-default
      (select (result (ref null $unary)) (ref.func $inc) (ref.null $unary) (local.get 0))
      (local.get 1)))

  ;; The reference and a value under it go to the label.
  (func $apply-some (param $f (ref null $unary)) (result i32)
    (local $r (ref null $unary))
    (local.set $r
      (block $some (result (ref $unary))
        (br_on_non_null $some (local.get $f))
        (return (i32.const -1))))
    (call_ref $unary (i32.const 20) (local.get $r)))
  (func (export "apply-some") (param i32) (result i32)
    (call $apply-some (select (result (ref null $unary)) (ref.func $double) (ref.null $unary) (local.get 0))))
  (func (export "pair-on-non-null") (param i32) (result i32 i32)
    (local $r (ref null $unary))
    (block $some (result i32 (ref $unary))
      (i32.const 7)
      (br_on_non_null $some (select (result (ref null $unary)) (ref.func $inc) (ref.null $unary) (local.get 0)))
      (return (i32.const 0) (i32.const 0)))
    (local.set $r)
    (call_ref $unary (i32.const 41) (local.get $r)))

  ;; A million tail calls through a reference: no stack could hold them as calls.
  (func $down (type $unary)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 77))
      (else (return_call_ref $unary (i32.sub (local.get 0) (i32.const 1)) (ref.func $down)))))
  (func (export "down") (param i32) (result i32)
    (call $down (local.get 0)))
  (func (export "tail-to-import") (param i32) (result i32)
    (return_call_ref $unary (local.get 0) (ref.func $inc)))
  (func (export "tail-to-null") (param i32) (result i32)
    (return_call_ref $unary (local.get 0) (global.get $g)))

  ;; A non-nullable local, set before it is read.
  (func (export "as-non-null") (param i32) (result i32)
    (local $f (ref $unary))
    (local.set $f
      (if (result (ref $unary)) (local.get 0)
        (then (ref.as_non_null (global.get $g)))
        (else (ref.func $inc))))
    (call_ref $unary (i32.const 5) (local.get $f)))
)

(assert_return (invoke "call-import" (i32.const 4)) (i32.const 5))
(assert_return (invoke "call-table" (i32.const 4) (i32.const 0)) (i32.const 8))
(assert_return (invoke "call-table" (i32.const 4) (i32.const 1)) (i32.const 5))
(assert_return (invoke "call-table" (i32.const 4) (i32.const 2)) (i32.const 8))
(assert_trap (invoke "call-table" (i32.const 4) (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "call-global" (i32.const 4)) "null function reference")
(assert_trap (invoke "tail-to-null" (i32.const 4)) "null function reference")
(assert_trap (invoke "as-non-null" (i32.const 1)) "null reference")
(assert_return (invoke "as-non-null" (i32.const 0)) (i32.const 6))
(invoke "set-global" (i32.const 1))
(assert_return (invoke "call-global" (i32.const 4)) (i32.const 8))
(assert_return (invoke "tail-to-null" (i32.const 5)) (i32.const 10))
(assert_return (invoke "as-non-null" (i32.const 1)) (i32.const 10))
(assert_return (invoke "call-pair" (i32.const 3)) (i32.const -10))
(assert_return (invoke "or-default" (i32.const 1) (i32.const 5)) (i32.const 6))
(assert_return (invoke "or-default" (i32.const 0) (i32.const 5)) (i32.const 1005))
(assert_return (invoke "apply-some" (i32.const 1)) (i32.const 40))
(assert_return (invoke "apply-some" (i32.const 0)) (i32.const -1))
(assert_return (invoke "pair-on-non-null" (i32.const 1)) (i32.const 7) (i32.const 42))
(assert_return (invoke "pair-on-non-null" (i32.const 0)) (i32.const 0) (i32.const 0))
(assert_return (invoke "down" (i32.const 1000000)) (i32.const 77))
(assert_return (invoke "tail-to-import" (i32.const 9)) (i32.const 10))

;; A table of a typed reference needs an initializer; a global of one, a value of its type.
(assert_invalid
  (module (type $t (func)) (table 1 (ref $t)))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (type $u (func (param i32))) (func $f (type $u))
    (elem declare func $f) (global (ref $t) (ref.func $f)))
  "type mismatch")
;; A local set inside a block is unset again at its end, even if every arm sets it.
(assert_invalid
  (module (type $t (func))
    (func $f (param i32) (local $l (ref $t))
      (if (local.get 0) (then (local.set $l (ref.func $f))) (else (local.set $l (ref.func $f))))
      (drop (local.get $l)))
    (elem declare func $f))
  "uninitialized local")

;; A funcref table whose elements start as a function, read by call_indirect (a table
;; never written is compiled as fixed contents: its initializer counts).
(module
  (type $unary (func (param i32) (result i32)))
  (func $triple (type $unary) (i32.mul (local.get 0) (i32.const 3)))
  (table 2 funcref (ref.func $triple))
  (elem declare func $triple)
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect (type $unary) (local.get 0) (local.get 1))))
(assert_return (invoke "call" (i32.const 5) (i32.const 1)) (i32.const 15))
(assert_trap (invoke "call" (i32.const 5) (i32.const 2)) "undefined element")

;; A table's initializer declares the function it names, as an element segment would:
;; ref.func in a body may then take it.
(module
  (type $unary (func (param i32) (result i32)))
  (func $double (type $unary) (i32.add (local.get 0) (local.get 0)))
  (table 1 funcref (ref.func $double))
  (func (export "through_ref") (param i32) (result i32)
    (call_ref $unary (local.get 0) (ref.func $double))))
(assert_return (invoke "through_ref" (i32.const 21)) (i32.const 42))
