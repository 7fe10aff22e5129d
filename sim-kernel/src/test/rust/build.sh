#!/usr/bin/env bash
# Rebuilds the Rust test guests with Debian's cargo and rustc (TOOLCHAINS.md, "Rust guests"):
#   sim-kernel/src/test/rust/<name>/ (a wasm32-wasi cdylib crate)
#       -> sim-kernel/src/test/resources/guests/<name>_rust.wasm
# Each crate builds offline (its .cargo/config.toml), in a temporary target directory and
# CARGO_HOME, with /usr/bin/cargo and /usr/bin/rustc (a rustup toolchain elsewhere on PATH
# lacks the wasm32-wasi standard library).
# Toolchain: apt-get install -y rustc cargo libstd-rust-dev-wasm32 lld-16
#
#   build.sh          rebuild in place
#   build.sh --check  rebuild into a temporary directory and compare with the files in the
#                     tree; prints each one that differs and exits 1 if any does. Without the
#                     toolchain the check is skipped (exit 0).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../../../.." && pwd -P)"
guests_dir="sim-kernel/src/test/resources/guests"

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

missing=""
[[ -x /usr/bin/cargo ]] || missing+=" /usr/bin/cargo (cargo)"
[[ -x /usr/bin/rustc ]] || missing+=" /usr/bin/rustc (rustc)"
if [[ -x /usr/bin/rustc && ! -d "$(/usr/bin/rustc --print sysroot)/lib/rustlib/wasm32-wasi/lib" ]]; then
    missing+=" the wasm32-wasi standard library (libstd-rust-dev-wasm32)"
fi
command -v lld-16 >/dev/null 2>&1 || [[ -x /usr/bin/lld-16 ]] || missing+=" lld-16"
if [[ -n "$missing" ]]; then
    if [[ $check -eq 1 ]]; then
        echo "rust/build.sh: missing$missing; Rust guest check skipped"
        exit 0
    fi
    echo "rust/build.sh: missing$missing; install rustc cargo libstd-rust-dev-wasm32 lld-16 (see TOOLCHAINS.md)" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out_root="$root"
if [[ $check -eq 1 ]]; then out_root="$work/out"; fi
mkdir -p "$out_root/$guests_dir"

crates=()
for manifest in "$here"/*/Cargo.toml; do
    crates+=("$(basename "$(dirname "$manifest")")")
done

for name in "${crates[@]}"; do
    crate="$here/$name"
    target="$guests_dir/${name}_rust.wasm"
    # Only Debian's toolchain and this crate's own config: no user config, flags or wrappers.
    (
        cd "$crate"
        env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u RUSTC_WRAPPER -u RUSTC_WORKSPACE_WRAPPER \
            -u CARGO_BUILD_TARGET -u CARGO_TARGET_DIR -u CARGO_HOME \
            PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc CARGO_HOME="$work/cargo-home" \
            CARGO_TARGET_DIR="$work/target" LC_ALL=C \
            /usr/bin/cargo build --release --offline --locked --quiet
    )
    built="$work/target/wasm32-wasi/release/$name.wasm"
    # The build must not depend on where the repository is: no absolute path may leak in.
    if grep -q -a -F -e "$here" -e "$work" "$built"; then
        echo "rust/build.sh: $name.wasm contains a build path; it would not be reproducible" >&2
        exit 1
    fi
    install -m 644 "$built" "$out_root/$target"
done

if [[ $check -eq 0 ]]; then
    echo "rust/build.sh: built ${#crates[@]} Rust guests with $(/usr/bin/rustc --version)"
    exit 0
fi

differ=0
for name in "${crates[@]}"; do
    target="$guests_dir/${name}_rust.wasm"
    if [[ ! -f "$root/$target" ]]; then
        echo "missing: $target (run sim-kernel/src/test/rust/build.sh)"
        differ=1
    elif ! cmp -s "$out_root/$target" "$root/$target"; then
        echo "differs: $target (rebuild with sim-kernel/src/test/rust/build.sh, or a different rustc: $(/usr/bin/rustc --version))"
        differ=1
    fi
done
if [[ $differ -eq 0 ]]; then echo "rust/build.sh: all ${#crates[@]} Rust guests match their sources"; fi
exit $differ
