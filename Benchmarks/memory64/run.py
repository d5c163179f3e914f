#!/usr/bin/env python3
"""Times the memory64 benchmark: each program of wasm32/ and wasm64/ (built by
build.sh) under WasmKiln's two bounds-check modes, and prints the median
seconds per configuration and the wasm64/wasm32 ratios with their geometric
means.

usage: Benchmarks/memory64/run.py [--wasmkiln PATH] [--rounds N] [NAME...]

Each configuration runs as `WASMKILN run FILE --bounds-checks MODE --invoke
run`: once first, untimed, to build it (WasmKiln caches the build), then in N
interleaved rounds (every configuration of every program once per round, in a
rotating order) so that a change of machine load spreads over all of them.
A process's time includes starting wasmkiln and instantiating the module,
which is small next to the programs' 1-4 s of work; the row `(empty)` times
that part alone, with a module whose run() returns at once.

The four configurations must print the same `i64 <checksum>`; it is also
compared with what the wasm32-wasi build of the program
(Benchmarks/programs/NAME.wasm, with wasi-libc) prints under `WASMKILN run`.
Exits with status 1 if any run failed or the configurations disagree.
"""
import argparse
import atexit
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.normpath(os.path.join(HERE, "..", "programs"))
CONFIGS = [("wasm32", "guard"), ("wasm64", "guard"), ("wasm32", "explicit"), ("wasm64", "explicit")]
EMPTY = "(empty)"
# the `(empty)` row: the process's fixed cost (wasmkiln's start, instantiation)
EMPTY_WAT = {
    "wasm32": '(module (memory (export "memory") 17) (func (export "run") (result i64) i64.const 0))',
    "wasm64": '(module (memory (export "memory") i64 17) (func (export "run") (result i64) i64.const 0))',
}
EMPTY_DIR = tempfile.mkdtemp(prefix="memory64-empty-")
atexit.register(shutil.rmtree, EMPTY_DIR, ignore_errors=True)


class RunError(Exception):
    pass


def run(cmd):
    """Runs cmd; returns (seconds, stdout). Raises RunError with the command on failure."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).strip()
        raise RunError(f"exit status {proc.returncode}: {' '.join(cmd)}\n{output}")
    return seconds, proc.stdout


def module_path(name, arch):
    if name == EMPTY:
        path = os.path.join(EMPTY_DIR, arch + ".wat")
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write(EMPTY_WAT[arch])
        return path
    return os.path.join(HERE, arch, name + ".wasm")


def invoke(wasmkiln, name, arch, mode):
    """One run of `run()` of arch/name.wasm; returns (seconds, checksum as 16 hex digits)."""
    cmd = [wasmkiln, "run", module_path(name, arch),
           "--bounds-checks", mode, "--invoke", "run"]
    seconds, out = run(cmd)
    # prints `i64 <signed decimal>`: show it the way the program's printf would
    lines = out.split()
    if len(lines) != 2 or lines[0] != "i64":
        raise RunError(f"unexpected output from {' '.join(cmd)}:\n{out}")
    return seconds, f"{int(lines[1]) & (2**64 - 1):016x}"


def reference_checksum(wasmkiln, name):
    """The checksum of the wasm32-wasi build (wasi-libc), or None if there is none."""
    path = os.path.join(PROGRAMS, name + ".wasm")
    if not os.path.exists(path):
        return None
    _, out = run([wasmkiln, "run", path])
    return out.split("checksum:")[-1].strip()


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wasmkiln", default="wasmkiln", help="the wasmkiln binary (default: wasmkiln on PATH)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("names", nargs="*", help="programs (default: every one build.sh built)")
    args = parser.parse_args()

    skipped = {}
    skipped_file = os.path.join(HERE, "skipped.txt")
    if os.path.exists(skipped_file):
        for line in open(skipped_file):
            name, _, reason = line.rstrip("\n").partition("\t")
            skipped[name] = reason
    names = args.names or [n.strip() for n in open(os.path.join(PROGRAMS, "LIST"))
                           if n.strip() and not n.startswith("#")]
    missing = [n for n in names if n not in skipped and not all(
        os.path.exists(os.path.join(HERE, arch, n + ".wasm")) for arch in ("wasm32", "wasm64"))]
    if missing:
        sys.exit(f"run.py: not built: {' '.join(missing)} (run build.sh first)")
    for name in names:
        if name in skipped:
            print(f"skipped {name}: {skipped[name]}")
    names = [n for n in names if n not in skipped] + [EMPTY]

    failures = []  # (name, config or None, message)
    checksums = {}  # name -> {config: checksum}
    times = {n: {c: [] for c in CONFIGS} for n in names}

    # untimed first runs: build (cached) and check the checksums
    for name in names:
        checksums[name] = {}
        for config in CONFIGS:
            print(f"build   {name} {config[0]} {config[1]}", file=sys.stderr, flush=True)
            try:
                checksums[name][config] = invoke(args.wasmkiln, name, *config)[1]
            except RunError as e:
                failures.append((name, config, str(e)))
    notes = []
    for name in names:
        found = set(checksums[name].values())
        if len(found) > 1:
            failures.append((name, None, "configurations disagree: " + ", ".join(
                f"{a}/{m}={c}" for (a, m), c in checksums[name].items())))
            continue
        if name == EMPTY:
            continue
        try:
            ref = reference_checksum(args.wasmkiln, name)
        except RunError as e:
            notes.append(f"{name}: the wasm32-wasi build failed, nothing to compare with: {e}")
            continue
        if ref is not None and found and ref not in found:
            notes.append(f"{name}: checksum {found.pop()} differs from the wasm32-wasi build's {ref} "
                         "(a program whose checksum depends on allocation addresses or on libc "
                         "would do that; ours claim not to)")

    bad = {n for n, _, _ in failures}
    timed = [n for n in names if n not in bad]
    for r in range(args.rounds):
        order = CONFIGS[r % len(CONFIGS):] + CONFIGS[:r % len(CONFIGS)]
        print(f"round   {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
        for name in timed:
            for config in order:
                try:
                    seconds, checksum = invoke(args.wasmkiln, name, *config)
                except RunError as e:
                    failures.append((name, config, str(e)))
                    continue
                if checksum != checksums[name][config]:
                    failures.append((name, config, f"checksum changed between runs: {checksum}"))
                times[name][config].append(seconds)

    # the table: median seconds, then wasm64/wasm32 per bounds-check mode
    print()
    print(f"{'program':<9} {'w32 guard':>10} {'w64 guard':>10} {'w32 expl':>10} {'w64 expl':>10}"
          f" {'64/32 guard':>12} {'64/32 expl':>11}")
    def row(name):
        """Prints the program's row; returns its two ratios and its fastest median."""
        med = [statistics.median(times[name][c]) if times[name][c] else float("nan") for c in CONFIGS]
        guard, explicit = med[1] / med[0], med[3] / med[2]
        print(f"{name:<9} " + " ".join(f"{x:>10.3f}" for x in med) + f" {guard:>12.3f} {explicit:>11.3f}")
        return guard, explicit, min(med)

    ratios = {"guard": [], "explicit": []}
    short = []
    for name in timed:
        if name == EMPTY:
            continue
        guard, explicit, fastest = row(name)
        if not math.isnan(guard):
            ratios["guard"].append(guard)
        if not math.isnan(explicit):
            ratios["explicit"].append(explicit)
        if fastest < 0.3:
            short.append(name)
    print(f"{'geomean':<9} {'':>10} {'':>10} {'':>10} {'':>10}"
          f" {geomean(ratios['guard']):>12.3f} {geomean(ratios['explicit']):>11.3f}")
    if EMPTY in timed:
        row(EMPTY)
    print(f"(median of {args.rounds} rounds, seconds per process, instantiation included;"
          f" {EMPTY} is that fixed cost alone, left out of the geometric means)")
    if short:
        print(f"note: under 0.3 s, so instantiation weighs more: {' '.join(short)}")
    for note in notes:
        print("note: " + note)
    for name, config, message in failures:
        where = f"{name} {config[0]} --bounds-checks {config[1]}" if config else name
        print(f"FAILED {where}: {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
