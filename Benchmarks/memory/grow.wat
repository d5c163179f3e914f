;; Grows memory from 1 page to 16384 pages (1 GiB) one page at a time and stores
;; into each new page, so the work is one memory.grow plus one first-touch fault
;; per page. Import-free (wasm2c then needs no WASI shim); exports what
;; `wasmkiln build` asks of a command. Traps if a grow fails.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (local $old i32)
    (loop $grow
      (local.set $old (memory.grow (i32.const 1)))
      (if (i32.eq (local.get $old) (i32.const -1)) (then unreachable))
      ;; The new page is page $old: write its index at its start.
      (i32.store (i32.shl (local.get $old) (i32.const 16)) (local.get $old))
      (br_if $grow (i32.lt_u (local.get $old) (i32.const 16383))))
    (if (i32.ne (memory.size) (i32.const 16384)) (then unreachable))))
