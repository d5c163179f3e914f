;; Atomics on an unshared memory, as threaded C compiled for one thread uses them, and
;; atomic.fence between other instructions (its reserved zero byte must not be read as
;; an instruction: it was, once, as `unreachable`; found by differential fuzzing).
(module
  (memory 1 1)
  (func (export "fenced") (param i32) (result i32)
    (i32.store (i32.const 0) (local.get 0))
    (atomic.fence)
    (i32.add (i32.atomic.load (i32.const 0)) (i32.const 1)))
  (func (export "counter") (result i64)
    (drop (i64.atomic.rmw.add (i32.const 8) (i64.const 5)))
    (atomic.fence)
    (drop (i64.atomic.rmw.sub (i32.const 8) (i64.const 2)))
    (drop (i64.atomic.rmw.or (i32.const 8) (i64.const 0x100)))
    (drop (i64.atomic.rmw.xchg (i32.const 16) (i64.const 7)))
    (drop (i64.atomic.rmw.cmpxchg (i32.const 16) (i64.const 7) (i64.const 9)))
    (i64.add (i64.atomic.load (i32.const 8)) (i64.atomic.load (i32.const 16))))
  (func (export "narrow") (result i32)
    (i32.atomic.store8 (i32.const 32) (i32.const 0x1ff))
    (drop (i32.atomic.rmw8.add_u (i32.const 32) (i32.const 0x102)))
    (i32.atomic.load8_u (i32.const 32)))
  (func (export "notify") (result i32)
    (memory.atomic.notify (i32.const 0) (i32.const 1)))
  (func (export "wait") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
  (func (export "unaligned") (result i32)
    (i32.atomic.load (i32.const 2))))

(assert_return (invoke "fenced" (i32.const 41)) (i32.const 42))
(assert_return (invoke "counter") (i64.const 268))  ;; (5 - 2) | 0x100, plus 9
(assert_return (invoke "narrow") (i32.const 1))
(assert_return (invoke "notify") (i32.const 0))
(assert_trap (invoke "wait") "expected shared memory")
(assert_trap (invoke "unaligned") "unaligned atomic")
