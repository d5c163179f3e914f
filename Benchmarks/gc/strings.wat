;; GC benchmark (issue 19): array-heavy string building. Strings are i8 arrays. run(n)
;; formats n pseudo-random numbers as decimal strings (one new array each), appends each
;; with a comma to a buffer that doubles by array.copy when full, and every 4096 items
;; hashes the buffer (FNV-1a) and starts a new, small one: a stream of short-lived small
;; arrays and a few large ones. Returns the hashes' checksum.
(module
  (type $bytes (array (mut i8)))

  ;; `value` in decimal, as a new array.
  (func $format (param $value i64) (result (ref $bytes))
    (local $digits i32)
    (local $rest i64)
    (local $text (ref $bytes))
    (local.set $digits (i32.const 1))
    (local.set $rest (i64.div_u (local.get $value) (i64.const 10)))
    (block $counted
      (loop $count
        (br_if $counted (i64.eqz (local.get $rest)))
        (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
        (local.set $rest (i64.div_u (local.get $rest) (i64.const 10)))
        (br $count)))
    (local.set $text (array.new_default $bytes (local.get $digits)))
    (loop $fill
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (array.set $bytes (local.get $text) (local.get $digits)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $value) (i64.const 10)))))
      (local.set $value (i64.div_u (local.get $value) (i64.const 10)))
      (br_if $fill (local.get $digits)))
    (local.get $text))

  (func $hash (param $text (ref $bytes)) (param $length i32) (result i64)
    (local $hash i64)
    (local $i i32)
    (local.set $hash (i64.const 0xcbf29ce484222325))
    (block $done
      (loop $bytes
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
        (local.set $hash (i64.mul
          (i64.xor (local.get $hash) (i64.extend_i32_u (array.get_u $bytes (local.get $text) (local.get $i))))
          (i64.const 0x100000001b3)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $bytes)))
    (local.get $hash))

  (func (export "run") (param $n i32) (result i64)
    (local $buffer (ref $bytes))
    (local $grown (ref $bytes))
    (local $text (ref $bytes))
    (local $length i32)
    (local $i i32)
    (local $x i64)
    (local $checksum i64)
    (local.set $buffer (array.new_default $bytes (i32.const 16)))
    (local.set $x (i64.const 88172645463325252))
    (loop $items
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
      (local.set $text (call $format (i64.shr_u (local.get $x) (i64.and (local.get $x) (i64.const 63)))))
      (if (i32.gt_u (i32.add (i32.add (local.get $length) (array.len (local.get $text))) (i32.const 1))
                    (array.len (local.get $buffer)))
        (then
          (local.set $grown (array.new_default $bytes (i32.add (i32.shl (array.len (local.get $buffer)) (i32.const 1))
                                                               (array.len (local.get $text)))))
          (array.copy $bytes $bytes (local.get $grown) (i32.const 0) (local.get $buffer) (i32.const 0) (local.get $length))
          (local.set $buffer (local.get $grown))))
      (array.copy $bytes $bytes (local.get $buffer) (local.get $length) (local.get $text) (i32.const 0) (array.len (local.get $text)))
      (local.set $length (i32.add (local.get $length) (array.len (local.get $text))))
      (array.set $bytes (local.get $buffer) (local.get $length) (i32.const 44))
      (local.set $length (i32.add (local.get $length) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 4095)))
        (then
          (local.set $checksum (i64.add (i64.rotl (local.get $checksum) (i64.const 7)) (call $hash (local.get $buffer) (local.get $length))))
          (local.set $buffer (array.new_default $bytes (i32.const 16)))
          (local.set $length (i32.const 0))))
      (br_if $items (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (local.get $checksum) (call $hash (local.get $buffer) (local.get $length)))))
