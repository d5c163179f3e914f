#!/usr/bin/env bash
# Fetches two real codecs' C sources from their PyPI source distributions (lz4's lz4libs/
# and zstandard's single-file zstd/zstd.c; nothing of theirs is committed) and builds our
# benchmark drivers around them, lz4-bench.c and zstd-bench.c, for Scripts/bench:
#
#   OUT/LIST, OUT/NAME.c     NAME is lz4 or zstd; NAME.c includes the driver and the codec
#   OUT/NAME.wasm            clang -O2 for wasm32-wasi (scalar)
#   OUT/simd128/NAME.wasm    clang -O3 -msimd128 (auto-vectorized), with NAME.c and LIST linked
#
# usage: Benchmarks/codecs/build.sh [OUT]   (default: bench-out/codecs in the repository)
# then:  Scripts/bench --programs OUT --skip-silice; Scripts/bench --programs OUT/simd128 --skip-silice
# Toolchain as for Benchmarks/programs/build.sh (clang with wasm-ld, wasi-libc); $LZ4_VERSION
# and $ZSTANDARD_VERSION pin the packages (default: the versions measured in the README).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/bench-out/codecs}" && cd "${1:-$ROOT/bench-out/codecs}" && pwd)"
CLANG="${CLANG:-clang}"
WASI_RT=/usr/lib/llvm-16/lib/clang/16
LZ4_VERSION="${LZ4_VERSION:-4.4.5}"
ZSTANDARD_VERSION="${ZSTANDARD_VERSION:-0.25.0}"

mkdir -p "$OUT/src" "$OUT/simd128"
cd "$OUT/src"
for package in "lz4==$LZ4_VERSION" "zstandard==$ZSTANDARD_VERSION"; do
    name="${package%%==*}-${package##*==}"
    if [ ! -d "$name" ]; then
        python3 -m pip download --quiet --no-binary :all: --no-deps "$package" -d .
        tar xzf "$name.tar.gz"
    fi
done
LZ4="$OUT/src/lz4-$LZ4_VERSION/lz4libs"
ZSTD="$OUT/src/zstandard-$ZSTANDARD_VERSION/zstd"
# The amalgamated zstd.c turns on its thread pool, which wasm32-wasi (no pthreads) has not:
# every build here, native too, uses a single-threaded copy.
sed 's|^#define ZSTD_MULTITHREAD$|/* ZSTD_MULTITHREAD left off (Benchmarks/codecs/build.sh) */|' "$ZSTD/zstd.c" > "$ZSTD/zstd-single.c"

# One C file per program (Scripts/bench compiles NAME.c alone for its native runs).
cat > "$OUT/lz4.c" <<C
#include "$LZ4/lz4.c"
#include "$HERE/lz4-bench.c"
C
cat > "$OUT/zstd.c" <<C
#include "$ZSTD/zstd-single.c"
#include "$HERE/zstd-bench.c"
C
printf 'lz4\nzstd\n' > "$OUT/LIST"

WASM_CFLAGS=(--target=wasm32-wasi --sysroot=/ -isystem /usr/include/wasm32-wasi
             -L/usr/lib/wasm32-wasi -resource-dir "$WASI_RT" -ffp-contract=off
             -Wno-deprecated-declarations -Wl,-z,stack-size=1048576 -Wl,--strip-debug)
for name in lz4 zstd; do
    echo "wasm    $OUT/$name.wasm"
    "$CLANG" "${WASM_CFLAGS[@]}" -O2 -o "$OUT/$name.wasm" "$OUT/$name.c"
    echo "wasm    $OUT/simd128/$name.wasm (-O3 -msimd128)"
    "$CLANG" "${WASM_CFLAGS[@]}" -O3 -msimd128 -o "$OUT/simd128/$name.wasm" "$OUT/$name.c"
    ln -sf "../$name.c" "$OUT/simd128/$name.c"
done
ln -sf ../LIST "$OUT/simd128/LIST"
