#!/usr/bin/env bash
# Rebuilds compress.wasm and hash.wasm from the C files beside this script.
#
# Freestanding wasm32: no libc, no WASI. compress.wasm imports only env.log,
# hash.wasm imports nothing. The link has no --allow-undefined, so any other
# undefined symbol (a typo, an implicit memcpy) fails the build.
# Needs a clang that targets wasm32 with wasm-ld on PATH (Swift's toolchain has
# both); set CLANG to use another. Without -g no paths are embedded, so the
# output depends only on the sources and the clang version.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLANG="${CLANG:-clang}"
FLAGS=(--target=wasm32 -O2 -ffreestanding -nostdlib -Wall -Wextra -Wl,--no-entry)

cd "$DIR"
for name in compress hash; do
    "$CLANG" "${FLAGS[@]}" -o "$name.wasm" "$name.c"
    echo "built $DIR/$name.wasm ($(wc -c < "$name.wasm") bytes)"
done
