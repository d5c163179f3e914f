;; A million exceptions, each thrown 10 calls deep and caught at the top.
;; _start prints `checksum: <hex>`.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $found (param i32))

  (func $down (param $depth i32) (param $value i32) (result i32)
    (if (i32.eqz (local.get $depth)) (then (throw $found (i32.mul (local.get $value) (i32.const 3)))))
    (i32.add (call $down (i32.sub (local.get $depth) (i32.const 1)) (local.get $value)) (i32.const 1)))

  (func $search (param $value i32) (result i32)
    (block $caught (result i32)
      (try_table (result i32) (catch $found $caught)
        (call $down (i32.const 10) (local.get $value)))))

  (func $print_hex (param $value i32)
    (local $k i32)
    (i64.store (i32.const 0) (i64.const 0x6d75736b63656863))
    (i32.store16 (i32.const 8) (i32.const 0x203a))
    (loop $digit
      (i32.store8 (i32.add (i32.const 17) (i32.sub (i32.const 0) (local.get $k)))
        (i32.load8_u offset=64 (i32.and (i32.shr_u (local.get $value) (i32.shl (local.get $k) (i32.const 2))) (i32.const 15))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $digit (i32.lt_u (local.get $k) (i32.const 8))))
    (i32.store8 (i32.const 18) (i32.const 10))
    (i32.store (i32.const 32) (i32.const 0))
    (i32.store (i32.const 36) (i32.const 19))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 48))))
  (data (i32.const 64) "0123456789abcdef")

  (func (export "_start")
    (local $h i32) (local $i i32)
    (loop $next
      (local.set $h (i32.add (i32.rotl (local.get $h) (i32.const 5)) (call $search (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 1000000))))
    (call $print_hex (local.get $h)))
)
