;; A WASI command for the collector's roots: 20 times, it builds a list of 100,000 structs
;; in one call and passes it straight to another that walks it. Only the list being built
;; or walked is live: a caller's stack slot that kept the list it passed would keep a
;; second list alive while the next one is built (the report's peak live bytes shows it).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (type $node (struct (field $next (ref null $node))))
  (func $make (param $n i32) (result (ref null $node))
    (local $head (ref null $node))
    (loop $more
      (local.set $head (struct.new $node (local.get $head)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $more (local.get $n)))
    (local.get $head))
  (func $length (param $list (ref null $node)) (result i32)
    (local $count i32)
    (block $done
      (loop $walk
        (br_if $done (ref.is_null (local.get $list)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $list (struct.get $node $next (local.get $list)))
        (br $walk)))
    (local.get $count))
  (func (export "_start")
    (local $round i32)
    (loop $rounds
      (if (i32.ne (call $length (call $make (i32.const 100000))) (i32.const 100000))
        (then (call $proc_exit (i32.const 1))))
      (local.set $round (i32.add (local.get $round) (i32.const 1)))
      (br_if $rounds (i32.lt_u (local.get $round) (i32.const 20))))))
