;; A WASI command: prints one line with fd_write and returns from _start (exit status 0).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; An iovec at 0 (address, length) for the text at 16.
  (data (i32.const 0) "\10\00\00\00\1a\00\00\00")
  (data (i32.const 16) "hello from a WASI command\n")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
