;; GC benchmark (issue 19): the binary-trees program of the benchmarks game, on structs.
;; run(n) builds a stretch tree of depth n + 1, a long-lived tree of depth n, then for
;; each depth d = 4, 6, ..., n makes 2^(n - d + 4) trees of depth d and counts their nodes;
;; it returns a checksum of every count.
(module
  (type $tree (struct (field $left (ref null $tree)) (field $right (ref null $tree))))

  (func $make (param $depth i32) (result (ref $tree))
    (if (result (ref $tree)) (i32.eqz (local.get $depth))
      (then (struct.new $tree (ref.null $tree) (ref.null $tree)))
      (else (struct.new $tree
        (call $make (i32.sub (local.get $depth) (i32.const 1)))
        (call $make (i32.sub (local.get $depth) (i32.const 1)))))))

  (func $count (param $tree (ref null $tree)) (result i32)
    (local $left (ref null $tree))
    (local.set $left (struct.get $tree $left (local.get $tree)))
    (if (result i32) (ref.is_null (local.get $left))
      (then (i32.const 1))
      (else (i32.add (i32.const 1)
        (i32.add (call $count (local.get $left))
                 (call $count (struct.get $tree $right (local.get $tree))))))))

  (func (export "run") (param $n i32) (result i64)
    (local $checksum i64)
    (local $long (ref null $tree))
    (local $depth i32)
    (local $iterations i32)
    (local $i i32)
    (local $sum i32)
    (local.set $checksum (i64.extend_i32_u (call $count (call $make (i32.add (local.get $n) (i32.const 1))))))
    (local.set $long (call $make (local.get $n)))
    (local.set $depth (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_u (local.get $depth) (local.get $n)))
        (local.set $iterations (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $n) (local.get $depth)) (i32.const 4))))
        (local.set $i (i32.const 0))
        (local.set $sum (i32.const 0))
        (loop $trees
          (local.set $sum (i32.add (local.get $sum) (call $count (call $make (local.get $depth)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $trees (i32.lt_u (local.get $i) (local.get $iterations))))
        (local.set $checksum (i64.add (i64.mul (local.get $checksum) (i64.const 1000003)) (i64.extend_i32_u (local.get $sum))))
        (local.set $depth (i32.add (local.get $depth) (i32.const 2)))
        (br $depths)))
    (i64.add (i64.mul (local.get $checksum) (i64.const 1000003))
             (i64.extend_i32_u (call $count (local.get $long))))))
