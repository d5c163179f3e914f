;; memory64 and table64 at the edges: an address plus an offset past 2^64 must not wrap
;; into the memory, nor may an address, a length or an index be cut to 32 bits anywhere
;; (loads, stores, atomics, bulk operations, grow, tables, indirect calls, segments).
(module
  (memory $m i64 1 4)
  (memory $small 1 1)
  (data (memory $m) (i64.const 0) "\01\02\03\04\05\06\07\08")
  (data $passive "\aa\bb")

  (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load8_max_offset") (param i64) (result i32) (i32.load8_u offset=0xffffffffffffffff (local.get 0)))
  (func (export "load64_offset16") (param i64) (result i64) (i64.load offset=16 (local.get 0)))
  (func (export "load32_offset4g") (param i64) (result i32) (i32.load offset=0x100000000 (local.get 0)))
  (func (export "store8") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store64_offset16") (param i64 i64) (i64.store offset=16 (local.get 0) (local.get 1)))
  (func (export "atomic_add") (param i64) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 1)))
  (func (export "fill") (param i64 i32 i64) (memory.fill $m (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy $m $m (local.get 0) (local.get 1) (local.get 2)))
  ;; Between a 64-bit and a 32-bit memory the length is an i32.
  (func (export "copy_to_small") (param i32 i64 i32) (memory.copy $small $m (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load8_small") (param i32) (result i32) (i32.load8_u $small (local.get 0)))
  (func (export "init") (param i64 i32 i32) (memory.init $m $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "size") (result i64) (memory.size $m))
  (func (export "grow") (param i64) (result i64) (memory.grow $m (local.get 0))))

;; A valid address, and the wrapped sums that would land on it.
(assert_return (invoke "load8" (i64.const 0)) (i32.const 1))
(assert_trap (invoke "load8_max_offset" (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "load8_max_offset" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "load64_offset16" (i64.const -16)) "out of bounds memory access")
(assert_trap (invoke "load64_offset16" (i64.const -8)) "out of bounds memory access")
(assert_return (invoke "load64_offset16" (i64.const 65512)) (i64.const 0))
(assert_trap (invoke "load64_offset16" (i64.const 65513)) "out of bounds memory access")
;; Cut to 32 bits, these would be in bounds.
(assert_trap (invoke "load8" (i64.const 0x100000000)) "out of bounds memory access")
(assert_trap (invoke "load8" (i64.const 0x1000000000000)) "out of bounds memory access")
(assert_trap (invoke "load8" (i64.const 0x8000000000000000)) "out of bounds memory access")
(assert_trap (invoke "load32_offset4g" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "load32_offset4g" (i64.const -0x100000000)) "out of bounds memory access")
;; A store that would wrap traps and writes nothing.
(assert_trap (invoke "store64_offset16" (i64.const -16) (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "store8" (i64.const 0x100000000) (i32.const 0xff)) "out of bounds memory access")
(assert_return (invoke "load8" (i64.const 0)) (i32.const 1))
;; Atomics: alignment first (as the reference interpreter), then bounds, also past 4 GiB.
(assert_return (invoke "atomic_add" (i64.const 8)) (i32.const 0))
(assert_return (invoke "atomic_add" (i64.const 8)) (i32.const 1))
(assert_trap (invoke "atomic_add" (i64.const 0x100000008)) "out of bounds memory access")
(assert_trap (invoke "atomic_add" (i64.const 65536)) "out of bounds memory access")
(assert_trap (invoke "atomic_add" (i64.const 65534)) "unaligned atomic")
(assert_trap (invoke "atomic_add" (i64.const -2)) "unaligned atomic")
(assert_trap (invoke "atomic_add" (i64.const 9)) "unaligned atomic")

;; Bulk operations: a destination plus a length past 2^64, or lengths past 4 GiB.
(assert_trap (invoke "fill" (i64.const -1) (i32.const 0xff) (i64.const 2)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 1) (i32.const 0xff) (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i64.const 0) (i32.const 0xff) (i64.const 0x100000001)) "out of bounds memory access")
(assert_return (invoke "fill" (i64.const 65536) (i32.const 0xff) (i64.const 0)))
(assert_trap (invoke "fill" (i64.const 65537) (i32.const 0xff) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0) (i64.const -1) (i64.const 2)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const -1) (i64.const 0) (i64.const 2)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0x100000000) (i64.const 0) (i64.const 1)) "out of bounds memory access")
(assert_return (invoke "copy" (i64.const 100) (i64.const 0) (i64.const 8)))
(assert_return (invoke "load8" (i64.const 107)) (i32.const 8))
(assert_return (invoke "copy_to_small" (i32.const 65535) (i64.const 3) (i32.const 1)))
(assert_return (invoke "load8_small" (i32.const 65535)) (i32.const 4))
(assert_trap (invoke "copy_to_small" (i32.const 0) (i64.const 0x100000000) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "init" (i64.const -1) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "init" (i64.const 0x100000000) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "init" (i64.const 65534) (i32.const 0) (i32.const 2)))
(assert_return (invoke "load8" (i64.const 65535)) (i32.const 0xbb))
(assert_return (invoke "load8" (i64.const 0)) (i32.const 1))

;; Growing: deltas past 2^32 pages fail whole, not modulo 2^32.
(assert_return (invoke "grow" (i64.const 0x100000001)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 4)) (i64.const -1))
(assert_return (invoke "size") (i64.const 1))
(assert_return (invoke "grow" (i64.const 1)) (i64.const 1))
(assert_return (invoke "size") (i64.const 2))
(assert_return (invoke "load8" (i64.const 0x1ffff)) (i32.const 0))
(assert_trap (invoke "load8" (i64.const 0x20000)) "out of bounds memory access")

;; Tables with 64-bit indices.
(module
  (type $v (func (result i32)))
  (table $t i64 2 10 funcref)
  (elem (table $t) (i64.const 1) func $seven)
  (func $seven (result i32) (i32.const 7))
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $v) (local.get 0)))
  (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set") (param i64) (table.set $t (local.get 0) (ref.null func)))
  (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "size") (result i64) (table.size $t)))

(assert_return (invoke "call" (i64.const 1)) (i32.const 7))
(assert_trap (invoke "call" (i64.const 0x100000001)) "undefined element")
(assert_trap (invoke "call" (i64.const -1)) "undefined element")
(assert_trap (invoke "call" (i64.const 0)) "uninitialized element")
(assert_return (invoke "is_null" (i64.const 1)) (i32.const 0))
(assert_trap (invoke "is_null" (i64.const 0x100000001)) "out of bounds table access")
(assert_trap (invoke "set" (i64.const 0x100000001)) "out of bounds table access")
(assert_trap (invoke "fill" (i64.const 1) (i64.const -1)) "out of bounds table access")
(assert_trap (invoke "fill" (i64.const -1) (i64.const 2)) "out of bounds table access")
(assert_return (invoke "is_null" (i64.const 1)) (i32.const 0))
(assert_return (invoke "grow" (i64.const 0x100000001)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "size") (i64.const 2))
(assert_return (invoke "grow" (i64.const 3)) (i64.const 2))
(assert_return (invoke "size") (i64.const 5))

;; A segment placed past 4 GiB does not wrap onto the start of the memory.
(assert_trap
  (module
    (memory i64 1)
    (data (i64.const 0x100000000) "x"))
  "out of bounds memory access")
(assert_trap
  (module
    (memory i64 1)
    (data (i64.const -1) "xy"))
  "out of bounds memory access")
(module
  (memory i64 1)
  (data (i64.const 65535) "z")
  (func (export "last") (result i32) (i32.load8_u (i64.const 65535))))
(assert_return (invoke "last") (i32.const 0x7a))

;; Validation: a 32-bit memory's offset stays below 4 GiB; addresses have the memory's type.
(assert_invalid
  (module (memory 1) (func (drop (i32.load offset=0x100000000 (i32.const 0)))))
  "offset out of range")
(assert_invalid
  (module (memory i64 1) (func (drop (i32.load (i32.const 0)))))
  "type mismatch")
(assert_invalid
  (module (memory 1) (func (drop (i32.load (i64.const 0)))))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (drop (table.get 0 (i32.const 0)))))
  "type mismatch")
