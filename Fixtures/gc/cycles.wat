;; The collector's stress test (issue 19): builds and drops cyclic graphs of structs and
;; arrays. Each round makes a ring of nodes, each with a byte-array payload, cross-links
;; some of them, and keeps one node of the ring (so the whole ring) in a fixed set of
;; survivors, displacing an older ring, which becomes garbage with all its cycles. Live
;; data stays bounded by the survivor slots; everything else must be reclaimed.
;;
;; run(allocations) makes about that many allocations (two per node, one per ring's
;; link array) and returns a checksum of what it read back, the same on every engine.
(module
  (rec
    (type $node (struct
      (field $next (mut (ref null $node)))
      (field $link (mut (ref null $node)))
      (field $value (mut i64))
      (field $payload (mut (ref null $bytes)))))
    (type $bytes (array (mut i8))))
  (type $nodes (array (mut (ref null $node))))

  (global $seed (mut i64) (i64.const 0x2545F4914F6CDD1D))
  (global $survivors (mut (ref null $nodes)) (ref.null $nodes))

  ;; xorshift64: the same numbers on every engine.
  (func $random (result i64)
    (local $x i64)
    (local.set $x (global.get $seed))
    (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
    (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
    (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
    (global.set $seed (local.get $x))
    (local.get $x))

  ;; A ring of `size` nodes (2 <= size); returns its first node.
  (func $ring (param $size i32) (result (ref $node))
    (local $first (ref null $node))
    (local $last (ref null $node))
    (local $node (ref null $node))
    (local $all (ref $nodes))
    (local $i i32)
    (local $length i32)
    (local.set $all (array.new_default $nodes (local.get $size)))
    (loop $make
      (local.set $length (i32.add (i32.const 1) (i32.wrap_i64 (i64.rem_u (call $random) (i64.const 24)))))
      (local.set $node (struct.new $node
        (ref.null $node) (ref.null $node)
        (i64.extend_i32_u (local.get $i))
        (array.new $bytes (i32.wrap_i64 (call $random)) (local.get $length))))
      (array.set $nodes (local.get $all) (local.get $i) (local.get $node))
      (if (ref.is_null (local.get $first))
        (then (local.set $first (local.get $node)))
        (else (struct.set $node $next (local.get $last) (local.get $node))))
      (local.set $last (local.get $node))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $make (i32.lt_u (local.get $i) (local.get $size))))
    ;; Close the ring, then cross-link: more cycles, of every length.
    (struct.set $node $next (local.get $last) (local.get $first))
    (local.set $i (i32.const 0))
    (loop $link
      (struct.set $node $link
        (array.get $nodes (local.get $all) (local.get $i))
        (array.get $nodes (local.get $all)
          (i32.wrap_i64 (i64.rem_u (call $random) (i64.extend_i32_u (local.get $size))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $link (i32.lt_u (local.get $i) (local.get $size))))
    (ref.as_non_null (local.get $first)))

  ;; Walks `steps` links from `node`, alternating next and link, summing what it reads.
  (func $walk (param $node (ref null $node)) (param $steps i32) (result i64)
    (local $sum i64)
    (local $payload (ref null $bytes))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $steps)))
        (br_if $done (ref.is_null (local.get $node)))
        (local.set $payload (struct.get $node $payload (local.get $node)))
        (local.set $sum (i64.add (i64.mul (local.get $sum) (i64.const 31))
          (i64.add (struct.get $node $value (local.get $node))
            (i64.extend_i32_u (i32.add (array.len (local.get $payload))
              (array.get_u $bytes (local.get $payload) (i32.const 0)))))))
        (local.set $node (if (result (ref null $node)) (i32.and (local.get $steps) (i32.const 1))
          (then (struct.get $node $next (local.get $node)))
          (else (struct.get $node $link (local.get $node)))))
        (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
        (br $step)))
    (local.get $sum))

  (func (export "run") (param $allocations i64) (result i64)
    (local $made i64)
    (local $size i32)
    (local $slot i32)
    (local $checksum i64)
    (local $first (ref $node))
    (global.set $survivors (array.new_default $nodes (i32.const 64)))
    (loop $round
      (local.set $size (i32.add (i32.const 2) (i32.wrap_i64 (i64.rem_u (call $random) (i64.const 200)))))
      (local.set $first (call $ring (local.get $size)))
      (local.set $made (i64.add (local.get $made) (i64.extend_i32_u (i32.add (i32.const 1) (i32.shl (local.get $size) (i32.const 1))))))
      (local.set $checksum (i64.add (i64.rotl (local.get $checksum) (i64.const 5)) (call $walk (local.get $first) (i32.const 64))))
      ;; Keep this ring, dropping whichever one held the slot.
      (local.set $slot (i32.wrap_i64 (i64.and (call $random) (i64.const 63))))
      (local.set $checksum (i64.xor (local.get $checksum)
        (call $walk (array.get $nodes (global.get $survivors) (local.get $slot)) (i32.const 16))))
      (array.set $nodes (global.get $survivors) (local.get $slot) (local.get $first))
      (br_if $round (i64.lt_u (local.get $made) (local.get $allocations))))
    (local.get $checksum)))
