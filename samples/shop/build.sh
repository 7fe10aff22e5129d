#!/usr/bin/env bash
# Builds the record shop's Rust and AssemblyScript services, reproducibly, with the SDKs' tooling,
# into files committed next to their sources:
#   inventory/ (Rust, guest-sdk/rust's parigot-guest and prost) -> inventory/inventory.wasm
#   orders/    (Rust, the same)                                  -> orders/orders.wasm, and the
#              planted bugs orders/orders_ack_early.wasm (feature ack-early) and
#              orders/orders_stale.wasm (feature stale-replicas)
#   catalog/   (AssemblyScript, guest-sdk/assemblyscript)       -> catalog/catalog.wasm, and its
#              message classes catalog/assembly/generated/ (as-proto-gen 1.3.0, protoc 33.1)
# Their messages come from samples/src/main/proto/shop/v1/*.proto, as the Java tests' do.
# The C checkout (checkout/checkout.c -> checkout.wasm and checkout_buggy.wasm) is built and
# checked with every other C guest by samples/guests/build.sh [--check].
#
#   build.sh          rebuild in place
#   build.sh --check  rebuild into a temporary directory and compare byte for byte with the
#                     committed files; prints each one that differs and exits 1 if any does.
#                     A language whose toolchain is missing is skipped (said in one line).
# Toolchains: the Rust SDK's (guest-sdk/rust/README.md, "Install": Debian's rustc, cargo,
# libstd-rust-dev-wasm32, prost, protobuf-compiler, lld-16) and the AssemblyScript SDK's
# (node and npm; the pinned packages are installed from its package-lock.json when missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"
me="samples/shop/build.sh"
as_sdk="$root/guest-sdk/assemblyscript"

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
differ=0

# Puts a rebuilt file (or directory) in place, or compares it with the committed one.
deliver() { # built, path relative to samples/shop
    if [[ $check -eq 0 ]]; then
        rm -rf "${here:?}/$2"
        cp -r "$1" "$here/$2"
        [[ -d "$here/$2" ]] || chmod 644 "$here/$2"
    elif [[ ! -e "$here/$2" ]]; then
        echo "missing: samples/shop/$2 (run $me)"
        differ=1
    elif ! diff -r "$1" "$here/$2" >/dev/null; then
        echo "differs: samples/shop/$2 (rebuild with $me, or a different toolchain)"
        differ=1
    else
        echo "$me: samples/shop/$2 matches a rebuild"
    fi
}

# ---- Rust: inventory --------------------------------------------------------------------------
rust_missing=""
for tool in /usr/bin/cargo /usr/bin/rustc /usr/bin/lld-16 /usr/bin/protoc; do
    [[ -x "$tool" ]] || rust_missing+=" $tool"
done
if [[ -z "$rust_missing" && ! -d "$(/usr/bin/rustc --print sysroot)/lib/rustlib/wasm32-wasi/lib" ]]; then
    rust_missing+=" the wasm32-wasi standard library (libstd-rust-dev-wasm32)"
fi
if [[ -n "$rust_missing" ]]; then
    echo "$me: missing$rust_missing; the Rust inventory and orders are not rebuilt (see guest-sdk/rust/README.md, \"Install\")"
    [[ $check -eq 1 ]] || exit 1
else
    # As guest-sdk/rust/build.sh: Debian's toolchain and the workspace's own config only.
    (cd "$here" && env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u RUSTC_WRAPPER -u RUSTC_WORKSPACE_WRAPPER \
        -u CARGO_BUILD_TARGET -u CARGO_TARGET_DIR -u CARGO_HOME -u PROTOC -u PROTOC_INCLUDE \
        PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc PROTOC=/usr/bin/protoc CARGO_HOME="$work/cargo-home" \
        CARGO_TARGET_DIR="$work/target" LC_ALL=C \
        /usr/bin/cargo build --release --offline --locked --quiet --workspace)
    # Each built module: checked for build paths (they would make it unreproducible), then kept.
    keep() { # crate, destination relative to samples/shop
        local built="$work/target/wasm32-wasi/release/$1.wasm"
        if grep -q -a -F -e "$root" -e "$work" "$built"; then
            echo "$me: $2 contains a build path; it would not be reproducible" >&2
            exit 1
        fi
        cp "$built" "$work/${2//\//_}"
        deliver "$work/${2//\//_}" "$2"
    }
    keep inventory inventory/inventory.wasm
    keep orders orders/orders.wasm
    # The orders' planted bugs, one feature each (see orders/Cargo.toml).
    for variant in ack-early:orders_ack_early stale-replicas:orders_stale; do
        (cd "$here" && env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u RUSTC_WRAPPER -u RUSTC_WORKSPACE_WRAPPER \
            -u CARGO_BUILD_TARGET -u CARGO_TARGET_DIR -u CARGO_HOME -u PROTOC -u PROTOC_INCLUDE \
            PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc PROTOC=/usr/bin/protoc CARGO_HOME="$work/cargo-home" \
            CARGO_TARGET_DIR="$work/target" LC_ALL=C \
            /usr/bin/cargo build --release --offline --locked --quiet -p orders --features "${variant%%:*}")
        keep orders "orders/${variant#*:}.wasm"
    done
fi

# ---- AssemblyScript: catalog ------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "$me: node or npm not found; the AssemblyScript catalog is not rebuilt"
    [[ $check -eq 1 ]] || exit 1
else
    if [[ ! -x "$as_sdk/node_modules/.bin/asc" || ! -x "$as_sdk/node_modules/.bin/as-proto-gen" ]]; then
        echo "$me: npm ci in guest-sdk/assemblyscript (the pinned assemblyscript, as-proto, as-proto-gen)"
        (cd "$as_sdk" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
    # protoc 33.1, the one the SDK's generated classes name in their headers (see its build.sh).
    protoc=""
    for candidate in "${PROTOC:-}" "$HOME/.m2/repository/com/google/protobuf/protoc/4.33.1/protoc-4.33.1-linux-x86_64.exe" \
        "$(command -v protoc || true)"; do
        [[ -n "$candidate" && -f "$candidate" ]] || continue
        cp "$candidate" "$work/protoc" && chmod +x "$work/protoc"
        if [[ "$("$work/protoc" --version 2>/dev/null)" == "libprotoc 33.1" ]]; then
            protoc="$work/protoc"
            break
        fi
    done
    if [[ -n "$protoc" ]]; then
        mkdir -p "$work/generated"
        "$protoc" -I "$root/samples/src/main/proto" --plugin=protoc-gen-as="$as_sdk/node_modules/.bin/as-proto-gen" \
            --as_opt=gen-helper-methods --as_out="$work/generated" shop/v1/catalog.proto
        deliver "$work/generated" catalog/assembly/generated
    else
        echo "$me: protoc 33.1 not found (set PROTOC, or run mvn once so ~/.m2 has it); catalog's classes not regenerated"
    fi
    # Compiled where it lives, so that the paths asc records are the same relative ones.
    (cd "$here/catalog" && "$as_sdk/node_modules/.bin/asc" catalog.ts -o "$work/catalog.wasm" \
        --path "../../../guest-sdk/assemblyscript/node_modules" --runtime incremental -O3 --exportStart _initialize)
    deliver "$work/catalog.wasm" catalog/catalog.wasm
fi

if [[ $check -eq 1 && $differ -eq 0 ]]; then echo "$me: all shop guests match their sources"; fi
exit $differ
