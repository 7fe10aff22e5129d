#!/usr/bin/env bash
# Compiles one C guest to a WASI reactor module speaking ABI v1, reproducibly.
#
#   build-guest.sh [--no-sdk] OUT.wasm SRC.c [more.c ...]
#
# --no-sdk links the sources alone (for guests that write the ABI exports by hand); the
# SDK headers stay on the include path so they can still use the raw pg_abi_* imports.
# Environment: CLANG (default clang-16).
set -euo pipefail

usage() {
    echo "usage: $0 [--no-sdk] OUT.wasm SRC.c [more.c ...]" >&2
    exit 2
}

with_sdk=1
if [[ "${1:-}" == "--no-sdk" ]]; then
    with_sdk=0
    shift
fi
[[ $# -ge 2 ]] || usage
out="$1"
shift

clang="${CLANG:-clang-16}"
sdk="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# Paths under the repository root are embedded (if ever, e.g. by __FILE__) relative to it.
root="$(cd "$sdk/../.." && pwd -P)"

sources=()
if [[ $with_sdk -eq 1 ]]; then
    sources+=("$sdk/src/parigot.c" "$sdk/src/parigot_pb.c" "$sdk/src/parigot_storage.c")
fi
for src in "$@"; do
    [[ -f "$src" ]] || { echo "build-guest.sh: no such source file: $src" >&2; exit 2; }
    sources+=("$(cd "$(dirname "$src")" && pwd -P)/$(basename "$src")")
done

# The ABI v1 flags (TOOLCHAINS.md), then the ones for reproducible, debuggable bytes:
#  -g0 and --strip-debug: no DWARF (wasi-libc ships some); the `name` section is KEPT so
#     the kernel can name the functions of a trapping stack (so: never --strip-all).
#  --max-memory: the module declares a memory maximum (64 MiB) of its own.
#  -ffile-prefix-map: no absolute build path can reach the output.
export LC_ALL=C
"$clang" --target=wasm32-wasi -O2 -mexec-model=reactor \
    -Wl,--stack-first -Wl,-z,stack-size=65536 \
    -I"$sdk/include" \
    -g0 -Wl,--strip-debug -Wl,--max-memory=67108864 \
    -ffile-prefix-map="$root/=" \
    -Wall -Wextra \
    -o "$out" "${sources[@]}"
chmod 644 "$out" # a module is data, not an executable (and git records the mode)
