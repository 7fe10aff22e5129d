#!/usr/bin/env bash
# Compiles one C guest to a WASI reactor module speaking ABI v1, reproducibly.
#
#   build-guest.sh [--no-sdk] [--proto X.proto]... [-I DIR]... [-D NAME[=VALUE]]... OUT.wasm SRC.c [more.c ...]
#
# --no-sdk links the sources alone (for guests that write the ABI exports by hand); the
# SDK headers stay on the include path so they can still use the raw pg_abi_* imports.
# -I adds an include directory (after the SDK's), -D a define; both repeat, and both also
# take their argument attached (-Iinclude, -DNDEBUG). Relative directories are the
# caller's. Options may come before, between or after the files.
# --proto (repeats) generates C for a .proto with nanopb 0.4.7 (messages, bounded by an
# X.options file beside it) and tools/protoc-gen-parigot (typed service stubs), and builds
# them with the nanopb runtime and src/parigot_nanopb.c: the sources then
# `#include "X.parigot.h"`. Every string and repeated field needs a bound in X.options.
# The runtime is fetched once from Debian's source package (tools/nanopb-runtime.sh) into the
# user's cache (~/.cache/parigot-sim/nanopb); the generated code goes to a temporary directory.
# Environment: CLANG (default clang-16); CFLAGS, extra clang flags split at whitespace and
# given after this script's own, so they win (CFLAGS=-Os, CFLAGS=-Wno-unused-parameter);
# BUILD_GUEST_FORCE=1 compiles even when nothing the module is made from changed (otherwise an
# up-to-date module is left as it is; stamps in ~/.cache/parigot-sim/build-guest).
set -euo pipefail

me="build-guest.sh"
usage="usage: $me [--no-sdk] [--proto X.proto]... [-I DIR]... [-D NAME[=VALUE]]... OUT.wasm SRC.c [more.c ...]"

# A one-line complaint about the command line (what is wrong, what to do), then exit 2.
bad() {
    echo "$me: $1" >&2
    exit 2
}

with_sdk=1
include_dirs=() # absolute
defines=()
files=()
protos=() # absolute
while [[ $# -gt 0 ]]; do
    arg="$1"
    shift
    case "$arg" in
        -h | --help)
            sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        --no-sdk) with_sdk=0 ;;
        --proto)
            [[ $# -gt 0 && -n "$1" ]] || bad "--proto needs a .proto file"
            [[ "$1" == *.proto && -f "$1" ]] || bad "no such .proto file: $1 (relative paths start at $PWD)"
            protos+=("$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")")
            shift
            ;;
        -I | -D)
            [[ $# -gt 0 && -n "$1" ]] || bad "$arg needs an argument: -I DIR or -D NAME[=VALUE]"
            set -- "$arg$1" "${@:2}"
            ;;
        -I*)
            dir="${arg#-I}"
            [[ -d "$dir" ]] || bad "no such include directory: $dir (relative paths start at $PWD)"
            include_dirs+=("$(cd "$dir" && pwd -P)")
            ;;
        -D*)
            define="${arg#-D}"
            [[ "$define" =~ ^[A-Za-z_][A-Za-z0-9_]*(\([A-Za-z0-9_,\ .]*\))?(=.*)?$ ]] ||
                bad "-D needs NAME or NAME=VALUE with NAME a C identifier, or a function-like NAME(ARGS)=VALUE, not: $define"
            defines+=("-D$define")
            ;;
        --) files+=("$@"); break ;;
        -*) bad "unknown option: $arg (other clang flags go in CFLAGS; see --help)" ;;
        *) files+=("$arg") ;;
    esac
done
[[ ${#files[@]} -ge 2 ]] || bad "needs the output module and at least one source: $usage"
out="${files[0]}"
case "$out" in
    *.c | *.h) bad "the first file is the output module, not a source: $out" ;;
esac
[[ -d "$(dirname "$out")" ]] || bad "no such directory for the output: $(dirname "$out")"

clang="${CLANG:-clang-16}"
command -v "$clang" >/dev/null 2>&1 ||
    { echo "$me: $clang not found; install them, e.g. on Debian or Ubuntu: apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 (or set CLANG to another clang with a wasm32-wasi sysroot)" >&2; exit 1; }
sdk="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# Paths under the repository root are embedded (if ever, e.g. by __FILE__) relative to it.
root="$(cd "$sdk/../.." && pwd -P)"

sources=()
if [[ $with_sdk -eq 1 ]]; then
    sources+=("$sdk/src/parigot.c" "$sdk/src/parigot_pb.c" "$sdk/src/parigot_storage.c")
fi
for src in "${files[@]:1}"; do
    [[ -f "$src" ]] || bad "no such source file: $src"
done

# ---- Up to date? A module is rebuilt only when something it is made from changed.
# The fingerprint covers this script, the compiler and its WASI libraries, the command line,
# CFLAGS, every source and every header it includes (clang -M), and with --proto every
# .proto and .options file beside the given ones and the generators. The stamp, kept in the
# user's cache, holds the fingerprint and the SHA-256 of the module it produced: a module
# changed or removed since is rebuilt too. BUILD_GUEST_FORCE=1 always rebuilds.
export LC_ALL=C
sha() { sha256sum | cut -d' ' -f1; }
fingerprint() {
    sha256sum "${BASH_SOURCE[0]}"
    # The compiler by its file, its WASI libc and builtins by their contents (their paths asked
    # of clang once per compiler and kept beside the stamps: each clang start costs ~0.1 s).
    local clang_file libs lib
    clang_file="$(readlink -f "$(command -v "$clang")")"
    stat -c '%n %s %Y' "$clang_file"
    libs="$stamp_dir/clang-$(stat -c '%n %s %Y' "$clang_file" | sha).libs"
    if [[ ! -f "$libs" ]]; then
        { "$clang" --target=wasm32-wasi -print-file-name=libc.a 2>/dev/null || true
          "$clang" --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null || true; } >"$libs.$$"
        mv -f "$libs.$$" "$libs"
    fi
    while IFS= read -r lib; do
        if [[ -f "$lib" ]]; then sha256sum "$lib"; else echo "absent $lib"; fi
    done <"$libs"
    printf 'arg %s\n' "$with_sdk" "${CFLAGS:-}" ${include_dirs[@]+"${include_dirs[@]}"} \
        ${defines[@]+"${defines[@]}"} ${protos[@]+"${protos[@]}"} "${files[@]}"
    # Every source and what it includes, in one clang run (-MG: a header generated from a
    # .proto does not exist yet; the .proto is hashed below).
    local made
    made="$("$clang" --target=wasm32-wasi -M -MG -I"$sdk/include" \
        ${include_dirs[@]+"${include_dirs[@]/#/-I}"} ${defines[@]+"${defines[@]}"} ${cflags[@]+"${cflags[@]}"} \
        ${sources[@]+"${sources[@]}"} "${files[@]:1}" 2>/dev/null)" || echo "unreadable sources"
    made="${made//\\$'\n'/ }"
    printf '%s\n' "$made" | sed 's/^[^:]*: //' | tr ' ' '\n' | grep -v '^$' | sort -u | tr '\n' '\0' |
        xargs -0 -r sha256sum 2>&1 || true # a header that is not there (generated) is named by the error
    if [[ ${#protos[@]} -gt 0 ]]; then
        local dir
        for dir in $(printf '%s\n' "${protos[@]%/*}" | sort -u); do
            find "$dir" -maxdepth 1 -type f \( -name '*.proto' -o -name '*.options' \) -print0 | sort -z |
                xargs -0 -r sha256sum
        done
        "${PROTOC:-protoc}" --version 2>/dev/null || true
        local plugin
        plugin="$(command -v "${PROTOC_GEN_NANOPB:-protoc-gen-nanopb}" || true)"
        if [[ -f "$plugin" ]]; then sha256sum "$plugin"; fi
        sha256sum "$sdk/tools/protoc-gen-parigot" "$sdk/tools/nanopb-runtime.sh" "$sdk/src/parigot_nanopb.c"
    fi
}
cflags=()
read -r -a cflags <<<"${CFLAGS:-}"
stamp=""
stamp_dir="${PARIGOT_SIM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/parigot-sim}/build-guest"
if [[ "${BUILD_GUEST_FORCE:-0}" != 1 ]] && mkdir -p "$stamp_dir" 2>/dev/null; then
    out_abs="$(cd "$(dirname "$out")" && pwd -P)/$(basename "$out")"
    stamp="$stamp_dir/$(printf '%s' "$out_abs" | sha).stamp"
    inputs="$(fingerprint | sha)"
    if [[ -f "$out" && -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$inputs $(sha <"$out")" ]]; then
        echo "$me: $out is up to date (nothing it is made from changed; BUILD_GUEST_FORCE=1 rebuilds)"
        exit 0
    fi
fi

if [[ ${#protos[@]} -gt 0 ]]; then
    [[ $with_sdk -eq 1 ]] || bad "--proto needs the SDK (the generated stubs call it); drop --no-sdk"
    protoc="${PROTOC:-protoc}"
    nanopb_plugin="${PROTOC_GEN_NANOPB:-protoc-gen-nanopb}"
    for tool in "$protoc" "$nanopb_plugin"; do
        command -v "$tool" >/dev/null 2>&1 ||
            { echo "$me: $tool not found; --proto needs protoc and nanopb 0.4.7: apt-get install protobuf-compiler nanopb" >&2; exit 1; }
    done
    nanopb_runtime="$("$sdk/tools/nanopb-runtime.sh")"
    gen="$(mktemp -d)"
    trap 'rm -rf "$gen"' EXIT
    # Each .proto is compiled relative to its own directory, where nanopb also finds X.options.
    proto_args=()
    declare -A proto_dir_seen=()
    for proto in "${protos[@]}"; do
        dir="${proto%/*}"
        if [[ -z "${proto_dir_seen[$dir]:-}" ]]; then
            proto_dir_seen[$dir]=1
            proto_args+=("-I$dir" "--nanopb_opt=-I$dir")
        fi
    done
    # type:FT_STATIC: a string or repeated field without max_size / max_count in X.options is
    # an error naming the field, instead of a callback field the stubs would leave empty.
    if ! "$protoc" "${proto_args[@]}" \
        --plugin=protoc-gen-nanopb="$(command -v "$nanopb_plugin")" \
        --plugin=protoc-gen-parigot="$sdk/tools/protoc-gen-parigot" \
        "--nanopb_opt=-stype:FT_STATIC" --nanopb_out="$gen" --parigot_out="$gen" \
        "${protos[@]}"; then
        echo "$me: generating C from ${protos[*]} failed (see above; \"defined as static, but max_size or max_count is not given\" means the field needs a bound in the .options file beside the .proto)" >&2
        exit 1
    fi
    include_dirs+=("$gen" "$nanopb_runtime")
    sources+=("$sdk/src/parigot_nanopb.c" "$nanopb_runtime/pb_common.c" "$nanopb_runtime/pb_decode.c"
              "$nanopb_runtime/pb_encode.c")
    while IFS= read -r generated; do sources+=("$generated"); done < <(cd "$gen" && LC_ALL=C find . -name '*.c' | LC_ALL=C sort | sed "s|^\./|$gen/|")
fi
for src in "${files[@]:1}"; do
    [[ -f "$src" ]] || bad "no such source file: $src"
    sources+=("$(cd "$(dirname "$src")" && pwd -P)/$(basename "$src")")
done

# A path outside the repository is embedded relative to its -I directory or its source's
# directory, so a library builds to the same bytes wherever it is unpacked. (clang uses
# the longest matching prefix, whatever the order of the maps.)
prefix_maps=(-ffile-prefix-map="$root/=")
include_flags=()
declare -A mapped=()
for dir in ${include_dirs[@]+"${include_dirs[@]}"}; do
    include_flags+=("-I$dir")
done
for dir in ${include_dirs[@]+"${include_dirs[@]}"} "${sources[@]%/*}"; do
    if [[ "$dir/" != "$root/"* && -z "${mapped[$dir]:-}" ]]; then
        mapped[$dir]=1
        prefix_maps+=(-ffile-prefix-map="$dir/=")
    fi
done

# The ABI v1 flags (docs/abi.md, the C SDK README), then the ones for reproducible, debuggable bytes:
#  -g0 and --strip-debug: no DWARF (wasi-libc ships some); the `name` section is KEPT so
#     the kernel can name the functions of a trapping stack (so: never --strip-all).
#  --max-memory: the module declares a memory maximum (64 MiB) of its own.
#  -ffile-prefix-map: no absolute build path can reach the output.
"$clang" --target=wasm32-wasi -O2 -mexec-model=reactor \
    -Wl,--stack-first -Wl,-z,stack-size=65536 \
    -I"$sdk/include" \
    -g0 -Wl,--strip-debug -Wl,--max-memory=67108864 \
    "${prefix_maps[@]}" \
    -Wall -Wextra \
    ${include_flags[@]+"${include_flags[@]}"} ${defines[@]+"${defines[@]}"} ${cflags[@]+"${cflags[@]}"} \
    -o "$out" "${sources[@]}"
chmod 644 "$out" # a module is data, not an executable (and git records the mode)
if [[ -n "$stamp" ]]; then
    echo "$inputs $(sha <"$out")" >"$stamp.$$" 2>/dev/null && mv -f "$stamp.$$" "$stamp" 2>/dev/null || true
fi
