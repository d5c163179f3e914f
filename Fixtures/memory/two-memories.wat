;; A WASI command with two memories: `main` (exported as "memory", what WASI reads)
;; and `scratch`, which grows to 10 pages. The text in `scratch` is copied into
;; `main` and both lines are printed.
(module $two
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $main (export "memory") 1)
  (memory $scratch 1 100)
  (data (memory $main) (i32.const 16) "hello from memory 0\n")
  (data (memory $scratch) (i32.const 0) "and memory 1\n")
  (func (export "_start")
    (drop (memory.grow $scratch (i32.const 9)))
    (i64.store $scratch (i32.const 600000) (i64.const 42))
    (memory.copy $main $scratch (i32.const 64) (i32.const 0) (i32.const 13))
    ;; two iovecs at 0: (16, 20) and (64, 13)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 20))
    (i32.store (i32.const 8) (i32.const 64))
    (i32.store (i32.const 12) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 200)))))
