#!/usr/bin/env python3
"""Reference runner for the WASI fixtures: runs a WASI command module under
wasmtime (Python bindings, `pip install wasmtime`) and prints its stdout
followed by a final line `exit: N`.

usage: wasi-reference.py MODULE.wasm [--env K=V]... [--dir HOST::GUEST]...
                         [--stdin FILE] [--] [ARG]...

ARGs are the guest's argv[1..]; argv[0] is the module's file name without
`.wasm`. The guest sees only the environment given with --env. A --dir whose
HOST is `@tmp` gets a fresh empty temporary directory (removed afterwards).
Stderr of the guest goes to our stderr. A trap prints `trap: <message>` to
stderr and `exit: trap`.
"""
import os
import shutil
import sys
import tempfile

import wasmtime


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    module_path = argv[1]
    envs, dirs, args, stdin = [], [], [], None
    i = 2
    while i < len(argv):
        a = argv[i]
        if a == "--":
            args.extend(argv[i + 1:])
            break
        if a in ("--env", "--dir", "--stdin") and i + 1 < len(argv):
            v = argv[i + 1]
            if a == "--env":
                k, _, val = v.partition("=")
                envs.append((k, val))
            elif a == "--dir":
                host, sep, guest = v.partition("::")
                if not sep:
                    guest = host
                dirs.append((host, guest))
            else:
                stdin = v
            i += 2
            continue
        args.extend(argv[i:])
        break

    name = os.path.basename(module_path)
    if name.endswith(".wasm"):
        name = name[: -len(".wasm")]
    temps = []
    out_fd, out_path = tempfile.mkstemp(prefix="wasi-ref-out-")
    os.close(out_fd)
    try:
        # Wasm GC on: the Python fixtures (Fixtures/gc/python) use it.
        config = wasmtime.Config()
        config.wasm_gc = True
        config.wasm_function_references = True
        engine = wasmtime.Engine(config)
        store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        cfg = wasmtime.WasiConfig()
        cfg.argv = [name] + args
        cfg.env = envs
        cfg.stdout_file = out_path
        cfg.inherit_stderr()
        if stdin is not None:
            cfg.stdin_file = stdin
        for host, guest in dirs:
            if host == "@tmp":
                host = tempfile.mkdtemp(prefix="wasi-ref-dir-")
                temps.append(host)
            cfg.preopen_dir(host, guest)
        store.set_wasi(cfg)
        module = wasmtime.Module.from_file(engine, module_path)
        instance = linker.instantiate(store, module)
        start = instance.exports(store)["_start"]
        code = "0"
        try:
            start(store)
        except wasmtime.ExitTrap as e:
            code = str(e.code)
        except wasmtime.Trap as e:
            print(f"trap: {e.message}", file=sys.stderr)
            code = "trap"
        # Drop the store so the guest's files are closed before reading back.
        del instance, start, store
        with open(out_path, "rb") as f:
            data = f.read()
        sys.stdout.buffer.write(data)
        if data and not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.write(f"exit: {code}\n")
        sys.stdout.flush()
    finally:
        os.unlink(out_path)
        for t in temps:
            shutil.rmtree(t, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
