#!/bin/sh
# Builds numeric.wat for the freestanding runtime and links it with start.c into a
# static executable with no C library (x86-64 Linux), then runs it.
#   WASMKILN=path/to/wasmkiln CC=gcc ./build.sh [OUT-FOLDER]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/build}
wasmkiln=${WASMKILN:-wasmkiln}
cc=${CC:-cc}

"$wasmkiln" emit-c "$here/numeric.wat" -o "$out/numeric" --freestanding
# -nostdinc: only the compiler's own headers (stdint.h, stddef.h, ...) are found, so
# the build fails if the generated C or the runtime includes a C library header.
freestanding_includes="-nostdinc -isystem $("$cc" -print-file-name=include)"
make -s -C "$out/numeric" CC="$cc" CFLAGS="-O2 -Wall -Wextra $freestanding_includes"
# The program is compiled as the Makefile compiles the module (its WK_CFLAGS).
wk_cflags=$(sed -n 's/^WK_CFLAGS = //p' "$out/numeric/Makefile")
for file in start main; do
    "$cc" -O2 -Wall -Wextra $freestanding_includes $wk_cflags -I"$out/numeric" -c "$here/$file.c" -o "$out/$file.o"
done
"$cc" -nostdlib -static -o "$out/numeric-freestanding" "$out/start.o" "$out/main.o" "$out/numeric/libnumeric.a"
"$out/numeric-freestanding"
