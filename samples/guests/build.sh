#!/usr/bin/env bash
# Rebuilds every C guest of the repository with guest-sdk/c/build-guest.sh:
#   samples/guests/<dir>/<name>.c     -> samples/src/main/resources/guests/<name>.wasm, with
#     --proto samples/src/main/proto/<dir>/v1/<dir>.proto (nanopb messages and typed stubs,
#     bounded by the .options file beside it) for every sample but bench/: ping.c and pong.c
#     speak the raw ABI on purpose (hand-written wire format, the SDK-less pong), because
#     they are the baseline of the kernel benchmarks and must not change with the stubs.
#     The samples with a .proto need protoc and nanopb (apt-get install protobuf-compiler
#     nanopb) and are skipped without them, like the examples below.
#   sim-kernel/src/test/guests/<name>.c -> sim-kernel/src/test/resources/guests/<name>.wasm
#   guest-sdk/c/examples/<name>/<name>.c -> guest-sdk/c/examples/<name>/<name>.wasm, with
#     --proto for every .proto beside it (nanopb messages and typed stubs; these need protoc
#     and nanopb, apt-get install protobuf-compiler nanopb, and are skipped without them)
#   samples/shop/checkout/checkout.c -> samples/shop/checkout/checkout.wasm (the record shop's
#     fixed checkout), with -DSHOP_CHECKOUT_BUGGY checkout_buggy.wasm (the oversell) and with
#     -DSHOP_PAYMENT_BUGGY checkout_retry_buggy.wasm (the double charge); --proto for every
#     samples/src/main/proto/shop/v1/*.proto (skipped without protoc and nanopb, like the examples)
# A source whose text contains "parigot-build: no-sdk" is linked without the SDK; one with
# "parigot-build: max-memory=<bytes>" declares that memory maximum instead of the SDK's 64 MiB.
# Headers (*.h) next to the sources are shared code, not guests.
#
#   build.sh          rebuild in place
#   build.sh --check  rebuild into a temporary directory and compare with the files in the
#                     tree; prints each one that differs and exits 1 if any does. Without
#                     clang-16 the check is skipped (exit 0).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
build_guest="$root/guest-sdk/c/build-guest.sh"
clang="${CLANG:-clang-16}"

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if ! command -v "$clang" >/dev/null 2>&1; then
    if [[ $check -eq 1 ]]; then
        echo "build.sh: $clang not found; guest check skipped"
        exit 0
    fi
    echo "build.sh: $clang not found; install them, e.g. on Debian or Ubuntu: apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 (or set CLANG to another clang with a wasm32-wasi sysroot)" >&2
    exit 1
fi

# Lines of "source target-relative-to-root [-DNAME...]".
guests() {
    local src
    for src in "$root"/samples/guests/*/*.c; do
        if [[ -n "$(sample_proto "$src")" && $with_nanopb -eq 0 ]]; then continue; fi
        echo "$src samples/src/main/resources/guests/$(basename "$src" .c).wasm"
    done
    for src in "$root"/sim-kernel/src/test/guests/*.c; do
        echo "$src sim-kernel/src/test/resources/guests/$(basename "$src" .c).wasm"
    done
    if [[ $with_nanopb -eq 1 ]]; then
        for src in "$root"/guest-sdk/c/examples/*/*.c; do
            local dir="${src%/*}"
            if [[ "$(basename "$src" .c)" == "$(basename "$dir")" ]]; then
                echo "$src ${dir#"$root"/}/$(basename "$src" .c).wasm"
            fi
        done
        local shop="$root/samples/shop/checkout/checkout.c"
        echo "$shop samples/shop/checkout/checkout.wasm"
        echo "$shop samples/shop/checkout/checkout_buggy.wasm -DSHOP_CHECKOUT_BUGGY"
        echo "$shop samples/shop/checkout/checkout_retry_buggy.wasm -DSHOP_PAYMENT_BUGGY"
    fi
}

# The .proto of a sample guest (samples/guests/<dir>/x.c -> samples/src/main/proto/<dir>/v1/
# <dir>.proto), or nothing for a guest without one (bench/).
sample_proto() {
    local dir
    dir="$(basename "$(dirname "$1")")"
    local proto="$root/samples/src/main/proto/$dir/v1/$dir.proto"
    if [[ "$1" == "$root"/samples/guests/* && "$dir" != bench && -f "$proto" ]]; then echo "$proto"; fi
}

# The generated-protobuf examples need protoc and nanopb's generator; without them they are
# skipped (their committed .wasm stays as it is).
with_nanopb=1
for tool in "${PROTOC:-protoc}" "${PROTOC_GEN_NANOPB:-protoc-gen-nanopb}"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: $tool not found; the guests with a .proto (samples/guests/ but bench/, guest-sdk/c/examples/*/, the shop's checkout) are skipped (apt-get install protobuf-compiler nanopb)"
        with_nanopb=0
    fi
done

out_root="$root"
if [[ $check -eq 1 ]]; then
    out_root="$(mktemp -d)"
    trap 'rm -rf "$out_root"' EXIT
fi

declare -A seen=() # one module name, one source: two would overwrite each other
built=0
while read -r src target defines; do
    if [[ -n "${seen[$target]:-}" ]]; then
        echo "build.sh: $src and ${seen[$target]} would both build $target; rename one" >&2
        exit 1
    fi
    seen[$target]="$src"
    flags=()
    if grep -q "parigot-build: no-sdk" "$src"; then flags+=(--no-sdk); fi
    proto="$(sample_proto "$src")"
    if [[ -n "$proto" ]]; then flags+=(--proto "$proto"); fi
    if [[ "$target" == guest-sdk/c/examples/* ]]; then
        for proto in "${src%/*}"/*.proto; do flags+=(--proto "$proto"); done
    fi
    if [[ "$target" == samples/shop/* ]]; then
        for proto in "$root"/samples/src/main/proto/shop/v1/*.proto; do flags+=(--proto "$proto"); done
    fi
    for define in $defines; do flags+=("$define"); done
    extra_cflags="${CFLAGS:-}"
    max_memory="$(sed -n 's/.*parigot-build: max-memory=\([0-9][0-9]*\).*/\1/p' "$src" | head -n 1)"
    if [[ -n "$max_memory" ]]; then extra_cflags="$extra_cflags -Wl,--max-memory=$max_memory"; fi
    mkdir -p "$(dirname "$out_root/$target")"
    CFLAGS="$extra_cflags" "$build_guest" ${flags[@]+"${flags[@]}"} "$out_root/$target" "$src"
    built=$((built + 1))
done < <(guests)

if [[ $check -eq 0 ]]; then
    echo "build.sh: built $built guests with $("$clang" --version | head -n 1)"
    exit 0
fi

differ=0
while read -r src target _; do
    if [[ ! -f "$root/$target" ]]; then
        echo "missing: $target (run samples/guests/build.sh)"
        differ=1
    elif ! cmp -s "$out_root/$target" "$root/$target"; then
        echo "differs: $target (rebuild with samples/guests/build.sh, or a different clang: $("$clang" --version | head -n 1))"
        differ=1
    fi
done < <(guests)
if [[ $differ -eq 0 ]]; then echo "build.sh: all $built guests match their sources"; fi
exit $differ
