#!/usr/bin/env bash
# Builds the benchmark programs in this folder (each a single C file that
# prints one line, `checksum: <16 hex digits>`) to <name>.wasm for
# wasm32-wasi, for every name in LIST (the list the benchmark runner reads),
# and again with clang -O3 -msimd128 (auto-vectorized) into simd128/<name>.wasm:
# the SIMD row set (`Scripts/bench --programs Benchmarks/programs/simd128`),
# whose <name>.c and LIST are links to the ones here.
#
# usage: Benchmarks/programs/build.sh [--native] [NAME...]
#   NAME...   build only these (default: every name in LIST)
#   --native  also build native executables into native/<name> (gitignored)
#             with $CC (default cc): `cc -O2 -ffp-contract=off ... -lm`
#
# Floating point: -ffp-contract=off for both targets. The C standard lets a
# compiler fuse a*b+c into one fused multiply-add (gcc does so by default in
# its GNU modes wherever the target has FMA), which rounds once instead of
# twice; wasm has no fused multiply-add, so a native build that contracts
# could give different bits than the wasm one. nbody and matmul checksum the
# exact bit patterns of their doubles, so the flag must be on everywhere.
# Never add -ffast-math.
#
# Toolchain: clang with a wasm linker on PATH (the Swift toolchain's clang
# has both; $CLANG overrides), Debian's wasi-libc and
# libclang-rt-16-dev-wasm32, installed with apt-get when missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

CLANG="${CLANG:-clang}"
CC="${CC:-cc}"
WASI_RT=/usr/lib/llvm-16/lib/clang/16
NATIVE=0
NAMES=()
for arg in "$@"; do
    case "$arg" in
        --native) NATIVE=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        -*) echo "build.sh: unknown option $arg" >&2; exit 64 ;;
        *) NAMES+=("$arg") ;;
    esac
done
if [ ${#NAMES[@]} -eq 0 ]; then
    mapfile -t NAMES < <(grep -v '^[[:space:]]*\(#\|$\)' LIST)
fi

need_apt=()
[ -f /usr/lib/wasm32-wasi/libc.a ] || need_apt+=(wasi-libc)
[ -f "$WASI_RT/lib/wasi/libclang_rt.builtins-wasm32.a" ] || need_apt+=(libclang-rt-16-dev-wasm32)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "build.sh: installing ${need_apt[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi

WASM_CFLAGS=(--target=wasm32-wasi --sysroot=/ -isystem /usr/include/wasm32-wasi
             -L/usr/lib/wasm32-wasi -resource-dir "$WASI_RT"
             -O2 -ffp-contract=off -Wall -Wextra -Werror
             # a 1 MiB shadow stack (the default is 64 KiB): calls and trees recurse
             -Wl,-z,stack-size=1048576 -Wl,--strip-debug)
NATIVE_CFLAGS=(-O2 -ffp-contract=off -Wall -Wextra -Werror)

mkdir -p simd128
ln -sf ../LIST simd128/LIST
for name in "${NAMES[@]}"; do
    [ -f "$name.c" ] || { echo "build.sh: no $name.c" >&2; exit 1; }
    echo "wasm    $name.wasm"
    "$CLANG" "${WASM_CFLAGS[@]}" -o "$name.wasm" "$name.c" -lm
    echo "wasm    simd128/$name.wasm (-O3 -msimd128)"
    "$CLANG" "${WASM_CFLAGS[@]}" -O3 -msimd128 -o "simd128/$name.wasm" "$name.c" -lm
    ln -sf "../$name.c" "simd128/$name.c"
    if [ "$NATIVE" = 1 ]; then
        mkdir -p native
        echo "native  native/$name"
        "$CC" "${NATIVE_CFLAGS[@]}" -o "native/$name" "$name.c" -lm
    fi
done
