;; Grow-free compute load for the statistics on/off comparison: a multiplicative
;; hash chained through a 64 KiB table of counters, so every iteration does one
;; load and one store (the paths bounds checks and the memory struct affect).
;; 600M iterations, about a second here. The result lands in memory (exported),
;; so the compiler cannot drop the loop.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (local $i i32) (local $h i32) (local $slot i32)
    (local.set $h (i32.const 0x811c9dc5))
    (loop $mix
      (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $i)) (i32.const 0x9e3779b1)))
      (local.set $h (i32.rotl (local.get $h) (i32.const 13)))
      (local.set $slot (i32.and (local.get $h) (i32.const 0xfffc)))
      (i32.store (local.get $slot)
        (i32.add (i32.load (local.get $slot)) (local.get $h)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $mix (i32.ne (local.get $i) (i32.const 600000000))))
    (i32.store (i32.const 0) (local.get $h))))
