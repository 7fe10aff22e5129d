#!/usr/bin/env bash
# Builds the Rust guest SDK's example with Debian's cargo, rustc and protoc (TOOLCHAINS.md,
# "Rust guests with prost"), offline against /usr/share/cargo/registry:
#   guest-sdk/rust/examples/<name>/ (a wasm32-wasi cdylib using parigot-guest)
#       -> guest-sdk/rust/examples/<name>/<name>.wasm   the service, committed
#       -> guest-sdk/rust/examples/<name>/<name>.desc   its .proto as a FileDescriptorSet (protoc),
#                                                       for tests that build DynamicMessages
# and runs the SDK's host tests (cargo test on the machine's own target) when a C linker is there.
# The build runs in a temporary target directory and CARGO_HOME, with /usr/bin/cargo and
# /usr/bin/rustc (a rustup toolchain elsewhere on PATH lacks the wasm32-wasi standard library).
# Toolchain: apt-get install -y rustc cargo libstd-rust-dev-wasm32 librust-prost-dev
#            librust-prost-derive-dev librust-prost-build-dev librust-bytes-dev protobuf-compiler lld-16
#
#   build.sh          rebuild in place
#   build.sh --check  rebuild into a temporary directory and compare with the files in the tree
#                     (prints each one that differs, exits 1 if any does), and check that every
#                     ```rust block of README.md appears verbatim in an example's .rs files.
#                     Without the toolchain the check is skipped (exit 0).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
rel="guest-sdk/rust"

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
[[ -x /usr/bin/lld-16 ]] || missing+=" lld-16"
[[ -x /usr/bin/protoc ]] || missing+=" /usr/bin/protoc (protobuf-compiler)"
for crate in prost-0.11 prost-derive-0.11 prost-build-0.11 bytes-1; do
    compgen -G "/usr/share/cargo/registry/$crate*" >/dev/null || missing+=" librust-${crate%-*}-dev"
done
if [[ -n "$missing" ]]; then
    if [[ $check -eq 1 ]]; then
        echo "$rel/build.sh: missing$missing; Rust SDK check skipped"
        exit 0
    fi
    echo "$rel/build.sh: missing$missing; see TOOLCHAINS.md (\"Rust guests with prost\")" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$here"
if [[ $check -eq 1 ]]; then out="$work/out"; fi

# Only Debian's toolchain and the workspace's own config: no user config, flags or wrappers.
cargo_env=(env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u RUSTC_WRAPPER -u RUSTC_WORKSPACE_WRAPPER
    -u CARGO_BUILD_TARGET -u CARGO_TARGET_DIR -u CARGO_HOME -u PROTOC -u PROTOC_INCLUDE
    PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc PROTOC=/usr/bin/protoc CARGO_HOME="$work/cargo-home"
    CARGO_TARGET_DIR="$work/target" LC_ALL=C)

examples=()
for manifest in "$here"/examples/*/Cargo.toml; do
    examples+=("$(basename "$(dirname "$manifest")")")
done

(cd "$here" && "${cargo_env[@]}" /usr/bin/cargo build --release --offline --locked --quiet --workspace)

for name in "${examples[@]}"; do
    built="$work/target/wasm32-wasi/release/$name.wasm"
    # The build must not depend on where the repository is: no absolute path may leak in.
    if grep -q -a -F -e "$here" -e "$work" "$built"; then
        echo "$rel/build.sh: $name.wasm contains a build path; it would not be reproducible" >&2
        exit 1
    fi
    mkdir -p "$out/examples/$name"
    install -m 644 "$built" "$out/examples/$name/$name.wasm"
    (cd "$here/examples/$name/proto" && /usr/bin/protoc --descriptor_set_out="$out/examples/$name/$name.desc" ./*.proto)
done

# The SDK's own tests run on the host (the imports are an in-process double there).
if command -v cc >/dev/null 2>&1; then
    host="$(/usr/bin/rustc -vV | sed -n 's/^host: //p')"
    (cd "$here" && "${cargo_env[@]}" /usr/bin/cargo test --offline --locked --quiet -p parigot-guest \
        --target "$host" >"$work/host-tests.log" 2>&1) || { cat "$work/host-tests.log" >&2; exit 1; }
    echo "$rel/build.sh: host tests: $(grep -h '^test result' "$work/host-tests.log" | head -1)"
else
    echo "$rel/build.sh: no C linker (cc) for the host; parigot-guest's host tests skipped"
fi

if [[ $check -eq 0 ]]; then
    echo "$rel/build.sh: built ${examples[*]} with $(/usr/bin/rustc --version)"
    exit 0
fi

differ=0
for name in "${examples[@]}"; do
    for ext in wasm desc; do
        file="examples/$name/$name.$ext"
        if [[ ! -f "$here/$file" ]]; then
            echo "missing: $rel/$file (run $rel/build.sh)"
            differ=1
        elif ! cmp -s "$out/$file" "$here/$file"; then
            echo "differs: $rel/$file (rebuild with $rel/build.sh, or a different toolchain: $(/usr/bin/rustc --version))"
            differ=1
        fi
    done
done

# Every ```rust block of the README must be a verbatim part of an example's sources.
python3 - "$here" <<'EOF' || differ=1
import pathlib, re, sys
root = pathlib.Path(sys.argv[1])
readme = (root / "README.md").read_text()
sources = [p.read_text() for p in sorted(root.glob("examples/*/**/*.rs"))]
blocks = re.findall(r"^```rust\n(.*?)^```$", readme, flags=re.S | re.M)
if not blocks:
    print("guest-sdk/rust/README.md has no ```rust block to check")
    sys.exit(1)
bad = [b for b in blocks if not any(b in s for s in sources)]
for b in bad:
    print("README.md: this ```rust block is not in any examples/*/ .rs file:\n" + b[:200])
sys.exit(1 if bad else 0)
EOF

if [[ $differ -eq 0 ]]; then
    echo "$rel/build.sh: ${examples[*]} match their sources; README's Rust blocks are verbatim"
fi
exit $differ
