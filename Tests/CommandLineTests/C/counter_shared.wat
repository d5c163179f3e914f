;; Threads on one shared memory: `add` makes n atomic increments of the counter at 0;
;; `play` takes turns through the word at 8 with wait/notify: it waits until the turn
;; is `mine`, counts the exchange at 16, hands the turn to `next` and wakes the waiter.
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "add") (param $n i32)
    (loop $again
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "play") (param $mine i32) (param $next i32) (param $rounds i32)
    (local $turn i32)
    (loop $round
      (block $ready
        (loop $wait
          (local.set $turn (i32.atomic.load (i32.const 8)))
          (br_if $ready (i32.eq (local.get $turn) (local.get $mine)))
          ;; Sleeps unless the turn changed since it was read (then returns 1 at once).
          (drop (memory.atomic.wait32 (i32.const 8) (local.get $turn) (i64.const -1)))
          (br $wait)))
      (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1)))
      (i32.atomic.store (i32.const 8) (local.get $next))
      (drop (memory.atomic.notify (i32.const 8) (i32.const 1)))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1))))))
  (func (export "read") (param $address i32) (result i32)
    (i32.atomic.load (local.get $address))))
