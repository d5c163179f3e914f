;; A hot function and a hot loop, each inside a try_table whose handler never runs
;; (Scripts/bench-exceptions builds this with the try_tables and without them: the lines
;; marked ";; try" are left out). _start prints `checksum: <hex>`.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $never (param i32))

  ;; May throw (never does): calls to it inside a try need the try's handler.
  (func $mix (param $h i32) (param $x i32) (result i32)
    (if (i32.eq (local.get $x) (i32.const -1)) (then (throw $never (local.get $h))))
    (i32.mul (i32.rotl (i32.xor (local.get $h) (local.get $x)) (i32.const 13)) (i32.const 0x9e3779b1)))

  ;; Called 100 million times.
  (func $step (param $h i32) (param $i i32) (result i32)
    (local $t i32)
    (block $caught (result i32) ;; try
      (try_table (catch $never $caught) ;; try
        (local.set $t (call $mix (local.get $h) (local.get $i)))
        (if (i32.eq (local.get $t) (i32.const 0x7fffffff)) (then (throw $never (local.get $t))))
        (local.set $t (call $mix (local.get $t) (i32.shr_u (local.get $i) (i32.const 3))))
      ) ;; try
      (return (local.get $t)) ;; try
    ) ;; try
    drop ;; try
    (local.get $t))

  ;; One call, 300 million iterations.
  (func $run (param $n i32) (param $h i32) (result i32)
    (local $i i32)
    (block $caught ;; try
      (try_table (catch_all $caught) ;; try
        (loop $next
          (local.set $h (call $mix (local.get $h) (local.get $i)))
          (if (i32.eq (local.get $h) (i32.const 0x7fffffff)) (then (throw $never (local.get $h))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
      ) ;; try
    ) ;; try
    (local.get $h))

  (func $print_hex (param $value i32)
    (local $k i32)
    ;; "checksum: " at 0, 8 hex digits at 10, newline at 18; iovec at 32.
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
    (local.set $h (call $run (i32.const 300000000) (i32.const 7)))
    (loop $next
      (local.set $h (call $step (local.get $h) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 100000000))))
    (call $print_hex (local.get $h)))
)
