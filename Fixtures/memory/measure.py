#!/usr/bin/env python3
"""Runs one of the memory examples under wasmtime (Python bindings,
`pip install wasmtime`) and reports its exported memory's size after `_start`
returns (or calls proc_exit, as Go programs do): wasm memory never shrinks,
so that is the most the program ever grew to.

usage: measure.py MODULE.wasm [ITERATIONS]
       measure.py --grows MODULE.wasm [ITERATIONS]

--grows also reruns the program for 0, 1, ..., ITERATIONS (default 200)
iterations and lists the iteration counts after which memory was larger
than after one fewer: where in the run the memory grew. The programs are
deterministic, so this is exact (one entry may cover several memory.grow
calls within one iteration).
"""
import os
import sys
import time

import wasmtime

PAGE = 65536


def run(engine, module, name, args, quiet):
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [name] + args
    if not quiet:
        wasi.inherit_stdout()
    wasi.inherit_stderr()
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module)
    memory = instance.exports(store)["memory"]
    start = time.perf_counter()
    code = 0
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:  # Go ends with proc_exit(0)
        code = e.code
    return memory.size(store), time.perf_counter() - start, code


def main(argv):
    grows = argv[1:2] == ["--grows"]
    if grows:
        argv = argv[1:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, argv[1])
    args = argv[2:]
    name = os.path.basename(argv[1]).removesuffix(".wasm")
    pages, secs, code = run(engine, module, name, args, quiet=False)
    print(f"exit {code}, final memory {pages} pages ({pages * PAGE / 2**20:.2f} MiB), "
          f"_start took {secs:.3f} s")
    if grows:
        n = int(args[0]) if args else 200
        steps, last = [], run(engine, module, name, ["0"], quiet=True)[0]
        for i in range(1, n + 1):
            p = run(engine, module, name, [str(i)], quiet=True)[0]
            if p != last:
                steps.append(f"{i}:{p}")
                last = p
        print(f"grew after {len(steps)} of {n} iterations (iterations:pages): {' '.join(steps)}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
