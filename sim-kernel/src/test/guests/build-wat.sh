#!/usr/bin/env bash
# Rebuilds the hand-written WebAssembly text guests of the kernel's tests with wabt's wat2wasm:
#   sim-kernel/src/test/guests/<name>.wat -> sim-kernel/src/test/resources/guests/<name>.wasm
# (the C guests beside them are built by samples/guests/build.sh). Install wabt with
# apt-get install wabt.
#
#   build-wat.sh          rebuild in place
#   build-wat.sh --check  rebuild into a temporary directory and compare with the committed
#                         files; prints each one that differs and exits 1 if any does. Without
#                         wat2wasm the check is skipped (exit 0).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
out="$here/../resources/guests"
wat2wasm="${WAT2WASM:-wat2wasm}"

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if ! command -v "$wat2wasm" >/dev/null 2>&1; then
    if [[ $check -eq 1 ]]; then
        echo "build-wat.sh: $wat2wasm not found; check skipped (apt-get install wabt)"
        exit 0
    fi
    echo "build-wat.sh: $wat2wasm not found; install it: apt-get install wabt (or set WAT2WASM)" >&2
    exit 1
fi

dest="$out"
if [[ $check -eq 1 ]]; then
    dest="$(mktemp -d)"
    trap 'rm -rf "$dest"' EXIT
fi
differ=0
count=0
for src in "$here"/*.wat; do
    name="$(basename "$src" .wat)"
    "$wat2wasm" --enable-threads --enable-exceptions --debug-names "$src" -o "$dest/$name.wasm"
    count=$((count + 1))
    if [[ $check -eq 1 ]] && ! cmp -s "$dest/$name.wasm" "$out/$name.wasm"; then
        echo "differs: sim-kernel/src/test/resources/guests/$name.wasm (rebuild with $0; $("$wat2wasm" --version))"
        differ=1
    fi
done
if [[ $check -eq 1 && $differ -eq 0 ]]; then
    echo "build-wat.sh: all $count text guests match their sources ($wat2wasm $("$wat2wasm" --version))"
elif [[ $check -eq 0 ]]; then
    echo "build-wat.sh: built $count text guests with $wat2wasm $("$wat2wasm" --version)"
fi
exit $differ
