;; Out-of-bounds accesses in small functions the C compiler inlines into _start: with
;; guard pages they fault, and the trap still names the wasm function and instruction
;; (README, Debugging → Trap locations). Arguments pick the access.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $peek (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func $poke (param i32) (i64.store16 (local.get 0) (i64.const 7)))
  (func (export "_start") (local $argc i32)
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (local.set $argc (i32.load (i32.const 0)))
    (if (i32.eq (local.get $argc) (i32.const 1)) (then (drop (call $peek (i32.const 65534)))))
    (call $poke (i32.const -1))))
