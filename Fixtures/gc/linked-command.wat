;; A WASI command for the GC heap's reports and cap: it builds a linked list of 300,000
;; structs, all kept live, while making a short array of garbage per node, then checks
;; the list's sum and exits 0 (1 if the sum is wrong). About 10 MB stay live: a cap
;; below that (--max-gc-heap 4MiB) makes an allocation trap.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (type $node (struct (field $next (ref null $node)) (field $value i64)))
  (type $scratch (array (mut i64)))
  (func (export "_start")
    (local $head (ref null $node))
    (local $i i32)
    (local $sum i64)
    (loop $build
      (drop (array.new $scratch (i64.extend_i32_u (local.get $i)) (i32.const 8)))
      (local.set $head (struct.new $node (local.get $head) (i64.extend_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $build (i32.lt_u (local.get $i) (i32.const 300000))))
    (block $done
      (loop $walk
        (br_if $done (ref.is_null (local.get $head)))
        (local.set $sum (i64.add (local.get $sum) (struct.get $node $value (local.get $head))))
        (local.set $head (struct.get $node $next (local.get $head)))
        (br $walk)))
    ;; 0 + 1 + ... + 299,999
    (if (i64.ne (local.get $sum) (i64.const 44999850000)) (then (call $proc_exit (i32.const 1))))))
