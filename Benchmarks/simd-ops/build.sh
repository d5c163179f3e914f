#!/usr/bin/env bash
# Builds ops.wasm from ops.c (clang for wasm32-wasi with -msimd128, the toolchain of
# Benchmarks/programs/build.sh: clang with wasm-ld, Debian's wasi-libc and
# libclang-rt-16-dev-wasm32). usage: Benchmarks/simd-ops/build.sh [OUT.wasm]
# Then, for instance:
#   wasmkiln build ops.wasm -o ops && ./ops 20000
#   CFLAGS=-march=native wasmkiln build ops.wasm -o ops-native && ./ops-native 20000
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLANG="${CLANG:-clang}"
WASI_RT=/usr/lib/llvm-16/lib/clang/16
# wasm_simd128.h from this clang's own headers; builtins from the wasm32 runtime library.
"$CLANG" --target=wasm32-wasi --sysroot=/ -isystem "$("$CLANG" -print-resource-dir)/include" \
    -isystem /usr/include/wasm32-wasi -L/usr/lib/wasm32-wasi -resource-dir "$WASI_RT" \
    -O2 -msimd128 "$HERE/ops.c" -o "${1:-$HERE/ops.wasm}"
