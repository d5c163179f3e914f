#!/usr/bin/env bash
# Rebuilds report.wasm from report.c: a wasm32-wasi reactor (-mexec-model=reactor:
# no main; the module exports _initialize, which sets up libc) that also exports
# malloc and free, so the host can place a string in its memory. Without debug
# sections no paths are embedded.
#
# Needs clang with wasm-ld, Debian's wasi-libc and libclang-rt-16-dev-wasm32 (the
# toolchain Scripts/build-fixtures uses); set CLANG to use another clang.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLANG="${CLANG:-clang}"

cd "$DIR"
"$CLANG" --target=wasm32-wasi --sysroot=/ -isystem /usr/include/wasm32-wasi -L/usr/lib/wasm32-wasi \
    -resource-dir /usr/lib/llvm-16/lib/clang/16 -mexec-model=reactor -O2 -Wall -Wextra \
    -Wl,--export=malloc -Wl,--export=free -Wl,--strip-debug -o report.wasm report.c
echo "built $DIR/report.wasm ($(wc -c < report.wasm) bytes)"
