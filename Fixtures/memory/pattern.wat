;; Grows memory in a known pattern, for the memory statistics tests: `small` adds one
;; page five times, `large` three pages twice, then `small` adds a page at a time until
;; memory.grow fails. Exits with the number of pages that last loop added.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 2 40)
  (func $small (result i32) (memory.grow (i32.const 1)))
  (func $large (result i32) (memory.grow (i32.const 3)))
  (func (export "_start")
    (local $added i32)
    (drop (call $small)) (drop (call $small)) (drop (call $small)) (drop (call $small)) (drop (call $small))
    (drop (call $large)) (drop (call $large))
    (block $done
      (loop $more
        (br_if $done (i32.eq (call $small) (i32.const -1)))
        (local.set $added (i32.add (local.get $added) (i32.const 1)))
        (br $more)))
    (call $exit (local.get $added))))
