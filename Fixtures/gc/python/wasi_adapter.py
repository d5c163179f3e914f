#!/usr/bin/env python3
"""Makes p2w's output a standalone WASI command.

p2w (PyPI `p2w`, a Python-to-Wasm-GC compiler) writes WAT for a JavaScript host: it
imports `env` functions that print and format numbers, and `js` functions for the DOM,
and its `_start` returns a status. This rewrites that WAT:

- the `env` functions it prints with are written here in WAT over WASI's `fd_write`
  (numbers formatted as p2w's own Node runner does: JavaScript's Number text, with ".0"
  added to whole floats);
- each `js` import becomes a function that traps (these programs use none);
- p2w's `_start` becomes `$__p2w_main`, called by a WASI `_start` that exits with its
  status when that is not 0.

The added functions use bytes 1024..2047 of memory as scratch (p2w's data starts at 2048).

usage: wasi_adapter.py IN.wat OUT.wat
"""
import re
import sys

IMPORT_RE = re.compile(r'^\s*\(import "(env|js)" "[^"]+" \(func (\$\S+)(.*)\)\)\s*$')

WASI_IMPORTS = '''
(import "wasi_snapshot_preview1" "fd_write" (func $__wasi_fd_write (param i32 i32 i32 i32) (result i32)))
(import "wasi_snapshot_preview1" "proc_exit" (func $__wasi_proc_exit (param i32)))
'''

SHIM = r'''
  ;; ---- added by wasi_adapter.py ----
  (func $__out (param $ptr i32) (param $len i32)
    (i32.store (i32.const 1024) (local.get $ptr))
    (i32.store (i32.const 1028) (local.get $len))
    (drop (call $__wasi_fd_write (i32.const 1) (i32.const 1024) (i32.const 1) (i32.const 1032))))
  (func $write_char (param $c i32)
    (i32.store8 (i32.const 1040) (local.get $c))
    (call $__out (i32.const 1040) (i32.const 1)))
  ;; write decimal of i64 at $dst, return length
  (func $__i64_to_str (param $v i64) (param $dst i32) (result i32)
    (local $u i64) (local $p i32) (local $n i32) (local $neg i32)
    (local.set $neg (i64.lt_s (local.get $v) (i64.const 0)))
    (local.set $u (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (local.get $neg)))
    (local.set $p (i32.const 1100))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $u) (i64.const 10)))))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $l (i64.ne (local.get $u) (i64.const 0))))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (local.set $n (i32.sub (i32.const 1100) (local.get $p)))
    (memory.copy (local.get $dst) (local.get $p) (local.get $n))
    (local.get $n))
  (func $write_i64 (param $v i64)
    (call $__out (i32.const 1200) (call $__i64_to_str (local.get $v) (i32.const 1200))))
  (func $write_i32 (param $v i32)
    (call $write_i64 (i64.extend_i32_s (local.get $v))))
  (func $__pow10 (param $k i32) (result f64)
    (local $r f64)
    (local.set $r (f64.const 1))
    (block $d (loop $l
      (br_if $d (i32.le_s (local.get $k) (i32.const 0)))
      (local.set $r (f64.mul (local.get $r) (f64.const 10)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $l)))
    (local.get $r))
  (func $__puts (param $dst i32) (param $s i32) (param $n i32) (result i32)
    (memory.copy (local.get $dst) (local.get $s) (local.get $n)) (local.get $n))
  ;; JS Number.prototype.toString(v) semantics; writes at $dst, returns length.
  (func $__js_f64_str (param $v f64) (param $dst i32) (result i32)
    (local $o i32) (local $e i32) (local $p i32) (local $k i32) (local $m f64) (local $r f64)
    (local $dl i32) (local $n i32) (local $i i32) (local $mi i64)
    (local.set $o (local.get $dst))
    (if (f64.ne (local.get $v) (local.get $v)) (then
      (i32.store (local.get $dst) (i32.const 0x004e614e)) (return (i32.const 3))))  ;; "NaN"
    (if (f64.lt (local.get $v) (f64.const 0)) (then
      (i32.store8 (local.get $o) (i32.const 45))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (local.set $v (f64.neg (local.get $v)))))
    (if (f64.eq (local.get $v) (f64.const inf)) (then
      (i64.store (local.get $o) (i64.const 0x7974696e69666e49))  ;; "Infinity"
      (return (i32.sub (i32.add (local.get $o) (i32.const 8)) (local.get $dst)))))
    (if (f64.eq (local.get $v) (f64.const 0)) (then
      (i32.store8 (local.get $dst) (i32.const 48)) (return (i32.const 1))))
    ;; decimal exponent e: 10^e <= v < 10^(e+1)
    (local.set $e (i32.const 0))
    (if (f64.ge (local.get $v) (f64.const 1))
      (then (loop $up
        (if (f64.ge (local.get $v) (call $__pow10 (i32.add (local.get $e) (i32.const 1))))
          (then (local.set $e (i32.add (local.get $e) (i32.const 1))) (br $up)))))
      (else (loop $dn
        (local.set $e (i32.sub (local.get $e) (i32.const 1)))
        (br_if $dn (f64.lt (f64.mul (local.get $v) (call $__pow10 (i32.sub (i32.const 0) (local.get $e)))) (f64.const 1))))))
    ;; shortest p in 1..17 whose rounding round-trips (exact for |k|<=22)
    (local.set $p (i32.const 0))
    (block $found (loop $try
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $k (i32.sub (i32.add (local.get $e) (i32.const 1)) (local.get $p)))
      (if (i32.ge_s (local.get $k) (i32.const 0))
        (then (local.set $m (f64.nearest (f64.div (local.get $v) (call $__pow10 (local.get $k)))))
              (local.set $r (f64.mul (local.get $m) (call $__pow10 (local.get $k)))))
        (else (local.set $m (f64.nearest (f64.mul (local.get $v) (call $__pow10 (i32.sub (i32.const 0) (local.get $k))))))
              (local.set $r (f64.div (local.get $m) (call $__pow10 (i32.sub (i32.const 0) (local.get $k)))))))
      (br_if $found (f64.eq (local.get $r) (local.get $v)))
      (br_if $try (i32.lt_s (local.get $p) (i32.const 17)))))
    ;; strip trailing zeros of m
    (local.set $mi (i64.trunc_f64_u (local.get $m)))
    (block $nz (loop $z
      (br_if $nz (i64.ne (i64.rem_u (local.get $mi) (i64.const 10)) (i64.const 0)))
      (local.set $mi (i64.div_u (local.get $mi) (i64.const 10)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $z)))
    ;; digits at 1300.., count dl; n = dl + k (JS "n")
    (local.set $dl (call $__i64_to_str (local.get $mi) (i32.const 1300)))
    (local.set $n (i32.add (local.get $dl) (local.get $k)))
    (if (i32.and (i32.le_s (local.get $dl) (local.get $n)) (i32.le_s (local.get $n) (i32.const 21))) (then
      (local.set $o (i32.add (local.get $o) (call $__puts (local.get $o) (i32.const 1300) (local.get $dl))))
      (memory.fill (local.get $o) (i32.const 48) (i32.sub (local.get $n) (local.get $dl)))
      (local.set $o (i32.add (local.get $o) (i32.sub (local.get $n) (local.get $dl))))
      (return (i32.sub (local.get $o) (local.get $dst)))))
    (if (i32.and (i32.gt_s (local.get $n) (i32.const 0)) (i32.le_s (local.get $n) (i32.const 21))) (then
      (local.set $o (i32.add (local.get $o) (call $__puts (local.get $o) (i32.const 1300) (local.get $n))))
      (i32.store8 (local.get $o) (i32.const 46))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (local.set $o (i32.add (local.get $o) (call $__puts (local.get $o) (i32.add (i32.const 1300) (local.get $n)) (i32.sub (local.get $dl) (local.get $n)))))
      (return (i32.sub (local.get $o) (local.get $dst)))))
    (if (i32.and (i32.gt_s (local.get $n) (i32.const -6)) (i32.le_s (local.get $n) (i32.const 0))) (then
      (i32.store16 (local.get $o) (i32.const 0x2e30))  ;; "0."
      (local.set $o (i32.add (local.get $o) (i32.const 2)))
      (memory.fill (local.get $o) (i32.const 48) (i32.sub (i32.const 0) (local.get $n)))
      (local.set $o (i32.sub (local.get $o) (local.get $n)))
      (local.set $o (i32.add (local.get $o) (call $__puts (local.get $o) (i32.const 1300) (local.get $dl))))
      (return (i32.sub (local.get $o) (local.get $dst)))))
    ;; exponent form d[.ddd]e+X / e-X
    (i32.store8 (local.get $o) (i32.load8_u (i32.const 1300)))
    (local.set $o (i32.add (local.get $o) (i32.const 1)))
    (if (i32.gt_s (local.get $dl) (i32.const 1)) (then
      (i32.store8 (local.get $o) (i32.const 46))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (local.set $o (i32.add (local.get $o) (call $__puts (local.get $o) (i32.const 1301) (i32.sub (local.get $dl) (i32.const 1)))))))
    (i32.store8 (local.get $o) (i32.const 101))
    (i32.store8 (i32.add (local.get $o) (i32.const 1)) (select (i32.const 43) (i32.const 45) (i32.gt_s (local.get $n) (i32.const 0))))
    (local.set $o (i32.add (local.get $o) (i32.const 2)))
    (local.set $i (i32.sub (local.get $n) (i32.const 1)))
    (local.set $o (i32.add (local.get $o) (call $__i64_to_str
      (i64.extend_i32_s (select (local.get $i) (i32.sub (i32.const 0) (local.get $i)) (i32.ge_s (local.get $i) (i32.const 0))))
      (local.get $o))))
    (i32.sub (local.get $o) (local.get $dst)))
  ;; p2w wants Python-ish: append ".0" if finite and no '.'/'e'
  (func $f64_to_string (param $v f64) (param $dst i32) (result i32)
    (local $n i32) (local $i i32) (local $c i32)
    (local.set $n (call $__js_f64_str (local.get $v) (local.get $dst)))
    (if (i32.or (f64.ne (local.get $v) (local.get $v)) (f64.eq (f64.abs (local.get $v)) (f64.const inf)))
      (then (return (local.get $n))))
    (block $has (loop $l
      (br_if $has (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $c (i32.load8_u (i32.add (local.get $dst) (local.get $i))))
      (br_if $has (i32.or (i32.eq (local.get $c) (i32.const 46)) (i32.eq (local.get $c) (i32.const 101))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (if (i32.ge_u (local.get $i) (local.get $n)) (then
      (i32.store16 (i32.add (local.get $dst) (local.get $n)) (i32.const 0x302e))  ;; ".0"
      (local.set $n (i32.add (local.get $n) (i32.const 2)))))
    (local.get $n))
  (func $write_f64 (param $v f64)
    (call $__out (i32.const 1400) (call $f64_to_string (local.get $v) (i32.const 1400))))
  ;; approx JS toFixed(prec) for |v| < 9e15/10^prec
  (func $f64_format_precision (param $v f64) (param $prec i32) (param $dst i32) (result i32)
    (local $o i32) (local $s f64) (local $mi i64) (local $dl i32) (local $pad i32)
    (local.set $o (local.get $dst))
    (if (f64.lt (local.get $v) (f64.const 0)) (then
      (local.set $s (f64.nearest (f64.mul (f64.neg (local.get $v)) (call $__pow10 (local.get $prec)))))
      (if (f64.ne (local.get $s) (f64.const 0)) (then
        (i32.store8 (local.get $o) (i32.const 45))
        (local.set $o (i32.add (local.get $o) (i32.const 1))))))
      (else (local.set $s (f64.nearest (f64.mul (local.get $v) (call $__pow10 (local.get $prec)))))))
    (local.set $mi (i64.trunc_sat_f64_u (local.get $s)))
    (local.set $dl (call $__i64_to_str (local.get $mi) (i32.const 1300)))
    ;; left-pad with zeros to prec+1 digits
    (local.set $pad (i32.sub (i32.add (local.get $prec) (i32.const 1)) (local.get $dl)))
    (if (i32.gt_s (local.get $pad) (i32.const 0)) (then
      (memory.copy (i32.add (i32.const 1300) (local.get $pad)) (i32.const 1300) (local.get $dl))
      (memory.fill (i32.const 1300) (i32.const 48) (local.get $pad))
      (local.set $dl (i32.add (local.get $dl) (local.get $pad)))))
    (local.set $o (i32.add (local.get $o) (call $__puts (local.get $o) (i32.const 1300) (i32.sub (local.get $dl) (local.get $prec)))))
    (if (i32.gt_s (local.get $prec) (i32.const 0)) (then
      (i32.store8 (local.get $o) (i32.const 46))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (local.set $o (i32.add (local.get $o) (call $__puts (local.get $o)
        (i32.sub (i32.add (i32.const 1300) (local.get $dl)) (local.get $prec)) (local.get $prec))))))
    (i32.sub (local.get $o) (local.get $dst)))
  ;; pow: exact-ish for integer exponents, sqrt for .5; otherwise trap
  (func $math_pow (param $a f64) (param $b f64) (result f64)
    (local $n i64) (local $r f64) (local $neg i32)
    (if (f64.eq (local.get $b) (f64.const 0.5)) (then (return (f64.sqrt (local.get $a)))))
    (if (f64.ne (f64.trunc (local.get $b)) (local.get $b)) (then unreachable))
    (local.set $neg (f64.lt (local.get $b) (f64.const 0)))
    (local.set $n (i64.trunc_sat_f64_s (f64.abs (local.get $b))))
    (local.set $r (f64.const 1))
    (block $d (loop $l
      (br_if $d (i64.eqz (local.get $n)))
      (if (i32.wrap_i64 (i64.and (local.get $n) (i64.const 1)))
        (then (local.set $r (f64.mul (local.get $r) (local.get $a)))))
      (local.set $a (f64.mul (local.get $a) (local.get $a)))
      (local.set $n (i64.shr_u (local.get $n) (i64.const 1)))
      (br $l)))
    (if (result f64) (local.get $neg) (then (f64.div (f64.const 1) (local.get $r))) (else (local.get $r))))
  (func (export "_start")
    (local $rc i32)
    (local.set $rc (call $__p2w_main))
    (if (local.get $rc) (then (call $__wasi_proc_exit (local.get $rc)))))
'''

KEEP = {"$write_char", "$write_i32", "$write_i64", "$write_f64", "$f64_to_string",
        "$f64_format_precision", "$math_pow"}


def convert(src: str) -> str:
    out, stubs, placed = [], [], False
    for line in src.splitlines():
        m = IMPORT_RE.match(line)
        if m:
            if not placed:
                out.append(WASI_IMPORTS)
                placed = True
            mod, name, sig = m.groups()
            if name not in KEEP:
                stubs.append(f"  (func {name}{sig} unreachable)")
            continue
        out.append(line)
    text = "\n".join(out)
    text, n = re.subn(r'\(func \(export "_start"\) \(result i32\)', '(func $__p2w_main (result i32)', text)
    assert n == 1, "could not find p2w _start"
    end = text.rstrip().rfind(")")
    return text[:end] + SHIM + "\n".join(stubs) + "\n)\n"


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        res = convert(f.read())
    with open(sys.argv[2], "w") as f:
        f.write(res)
