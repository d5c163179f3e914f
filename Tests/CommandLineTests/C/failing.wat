;; Instantiation failures for api_test.c: the data segment fits only when the host's
;; memory has 2 pages, and the start function traps when the host's global is not 0.
(module
  (import "env" "memory" (memory 1))
  (import "env" "trap_in_start" (global $trap i32))
  (data (i32.const 70000) "past the first page")
  (func $start (if (global.get $trap) (then unreachable)))
  (start $start))
