;; Grows to 1 GiB exactly as grow.wat does (one page at a time, 16383 grows), but
;; touches only the first 10 MiB (pages 0-159): one store per 4 KiB OS page there,
;; so all of those 10 MiB are resident and nothing else is. Its peak RSS is the
;; measurement; it returns at once.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (local $addr i32)
    (loop $grow
      (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
      (br_if $grow (i32.lt_u (memory.size) (i32.const 16384))))
    (loop $touch
      (i32.store (local.get $addr) (local.get $addr))
      (local.set $addr (i32.add (local.get $addr) (i32.const 4096)))
      (br_if $touch (i32.lt_u (local.get $addr) (i32.const 10485760))))))
