;; Every side effect made before a trap stays visible after it, and none made after it
;; happens: stores, bulk memory operations, global and table writes before a trapping
;; load, store, division or call_indirect. With guard pages a memory access traps by
;; faulting, which the C compiler does not know, so it could move a load ahead of a store
;; to another address, keep a store in a register past a faulting load (out of a loop),
;; or merge or drop a store that a later one overwrites.

(module
  (memory 1)
  (table $t 2 funcref)
  (global $g (mut i32) (i32.const 0))
  (type $void (func))
  (func $nop)
  (elem (table $t) (i32.const 1) func $nop)

  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "global") (result i32) (global.get $g))
  (func (export "table-null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "reset")
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 65536))
    (global.set $g (i32.const 0))
    (table.set $t (i32.const 0) (ref.null func)))

  ;; A store, then a load out of bounds at a constant address.
  (func (export "store-load")
    (i32.store (i32.const 16) (i32.const 42))
    (drop (i32.load (i32.const 70000))))

  ;; The same in a loop: the load is loop-invariant and the store could be kept in a
  ;; register until the loop ends.
  (func (export "store-load-loop") (param $n i32) (result i32)
    (local $sum i32)
    (loop $again
      (i32.store (i32.const 16) (local.get $n))
      (local.set $sum (i32.add (local.get $sum) (i32.load (i32.const 70000))))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  ;; A loop storing the iteration count, then loading from an address that walks off
  ;; the end of memory: the last store made is the one from the trapping iteration.
  (func (export "walk-off") (param $address i32)
    (local $i i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (i32.store (i32.const 32) (local.get $i))
      (drop (i32.load (local.get $address)))
      (local.set $address (i32.add (local.get $address) (i32.const 4096)))
      (br $again)))

  ;; A store, then a store that traps: the first is made, the second not at all.
  (func (export "store-store")
    (i32.store8 (i32.const 65534) (i32.const 7))
    (i32.store16 (i32.const 65535) (i32.const 0xffff)))

  ;; A store that a later store overwrites, with a trapping load between them.
  (func (export "overwritten")
    (i32.store (i32.const 48) (i32.const 1))
    (drop (i32.load (i32.const 70000)))
    (i32.store (i32.const 48) (i32.const 2)))

  ;; Byte stores that could be merged into one wider store after a trapping load.
  (func (export "mergeable")
    (i32.store8 (i32.const 64) (i32.const 1))
    (drop (i32.load (i32.const 70000)))
    (i32.store8 (i32.const 65) (i32.const 2)))

  ;; A trapping load, then a store: the store must not happen.
  (func (export "load-store")
    (drop (i32.load (i32.const 70000)))
    (i32.store (i32.const 80) (i32.const 99)))

  (func (export "fill-load")
    (memory.fill (i32.const 96) (i32.const 0xab) (i32.const 4))
    (drop (i32.load (i32.const 70000))))
  (func (export "copy-load")
    (i32.store (i32.const 112) (i32.const 0x01020304))
    (memory.copy (i32.const 116) (i32.const 112) (i32.const 4))
    (drop (i32.load (i32.const 70000))))
  (func (export "global-load") (param $n i32)
    (loop $again
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (drop (i32.load (i32.const 70000)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "table-load")
    (table.set $t (i32.const 0) (ref.func $nop))
    (drop (i32.load (i32.const 70000))))

  (func (export "store-divide") (param $d i32) (result i32)
    (i32.store (i32.const 128) (i32.const 5))
    (i32.div_u (i32.const 10) (local.get $d)))
  (func (export "store-call-indirect") (param $i i32)
    (i32.store (i32.const 144) (i32.const 6))
    (call_indirect $t (type $void) (local.get $i)))
  (func (export "global-divide") (param $d i32) (result i32)
    (global.set $g (i32.const 9))
    (i32.div_s (i32.const 10) (local.get $d)))
  (func (export "store-trapping-store") (param $a i32)
    (i32.store (i32.const 160) (i32.const 8))
    (i64.store (local.get $a) (i64.const -1)))
)

(assert_trap (invoke "store-load") "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 16)) (i32.const 42))

(invoke "reset")
(assert_trap (invoke "store-load-loop" (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 16)) (i32.const 5))

(assert_trap (invoke "walk-off" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 32)) (i32.const 17))
(assert_trap (invoke "walk-off" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 32)) (i32.const 1))

(assert_trap (invoke "store-store") "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 0x00070000))

(assert_trap (invoke "overwritten") "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 48)) (i32.const 1))

(assert_trap (invoke "mergeable") "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 64)) (i32.const 1))

(assert_trap (invoke "load-store") "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 80)) (i32.const 0))

(assert_trap (invoke "fill-load") "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 96)) (i32.const 0xabababab))
(assert_trap (invoke "copy-load") "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 116)) (i32.const 0x01020304))
(assert_trap (invoke "global-load" (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "global") (i32.const 1))
(assert_return (invoke "table-null" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "table-load") "out of bounds memory access")
(assert_return (invoke "table-null" (i32.const 0)) (i32.const 0))

(assert_trap (invoke "store-divide" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "peek" (i32.const 128)) (i32.const 5))
(assert_trap (invoke "store-call-indirect" (i32.const 5)) "undefined element")
(assert_return (invoke "peek" (i32.const 144)) (i32.const 6))
(invoke "reset")
(assert_trap (invoke "store-call-indirect" (i32.const 0)) "uninitialized element")
(assert_return (invoke "peek" (i32.const 144)) (i32.const 6))
(assert_trap (invoke "global-divide" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "global") (i32.const 9))
(assert_trap (invoke "store-trapping-store" (i32.const 65530)) "out of bounds memory access")
(assert_return (invoke "peek" (i32.const 160)) (i32.const 8))
(assert_return (invoke "peek" (i32.const 65528)) (i32.const 0))
(assert_return (invoke "peek" (i32.const 65532)) (i32.const 0))
