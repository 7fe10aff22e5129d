#!/usr/bin/env bash
# Prints the directory that holds nanopb 0.4.7's runtime (pb.h, pb_common.c/h, pb_decode.c/h,
# pb_encode.c/h, LICENSE.txt), fetching it first if it is not there yet.
#
#   nanopb-runtime.sh [CACHE_DIR]
#
# CACHE_DIR defaults to $PARIGOT_SIM_CACHE/nanopb, else ${XDG_CACHE_HOME:-$HOME/.cache}/parigot-sim/nanopb:
# one per user, outside any build's target/, so that `mvn clean` (or a project that unpacks
# the SDK into its own target/) never makes a machine fetch it again, and an offline build
# works once it has been fetched. Without a usable home directory: guest-sdk/c/target/nanopb.
#
# Debian's nanopb package ships only the generator, so the runtime comes from Debian's source
# package (bookworm, nanopb_0.4.7-2), downloaded through a private apt source list (nothing
# under /etc is touched) and unpacked with dpkg-source. Each file is checked against the
# SHA-256 it had when this script was written, so a guest builds from the same runtime bytes
# everywhere. The cache is never committed.
set -euo pipefail
me="nanopb-runtime.sh"
sdk="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
default_cache() {
    local base="${PARIGOT_SIM_CACHE:-}"
    if [[ -z "$base" ]]; then
        if [[ -n "${XDG_CACHE_HOME:-}" ]]; then
            base="$XDG_CACHE_HOME/parigot-sim"
        elif [[ -n "${HOME:-}" && -d "$HOME" && -w "$HOME" ]]; then
            base="$HOME/.cache/parigot-sim"
        else
            echo "$sdk/target/nanopb"
            return
        fi
    fi
    echo "$base/nanopb"
}
cache="${1:-$(default_cache)}"
if [[ -z "${1:-}" ]] && ! mkdir -p "$cache" 2>/dev/null; then
    cache="$sdk/target/nanopb" # the user cache cannot be written: keep it beside the SDK
fi
version="0.4.7"
runtime="$cache/nanopb-$version-runtime"

# The runtime files and their SHA-256 in nanopb_0.4.7-2 (unpatched upstream 0.4.7).
sums="a990cfe2d8a19a0addd941a26812799fad39fc8d79bbe2a79a82b62a4a73ca37  pb.h
8d2ec28baaaf2b7a5e90e4cb2fa9700d21cef7f826f051a637c30b7a1e6a0516  pb_common.c
6495a691aca68d6973f2274b5dd54b74fbb57f6b019c45fff255a857fe1abcfd  pb_common.h
9ed9e255e433324fc28557adb03bf494a3711c2a0480c97b3690a6871ce29c66  pb_decode.c
e0bed3f14db30b24c036b93920291ca9e661a13bda38fa4244f6294e704f3fad  pb_decode.h
f85be395be8c34a732eea12f64358110e5b0836f0a120a7c20982edec129a996  pb_encode.c
0715c9e289c1c49d3cb3128bdb81e1d40d1efeefe695c19ce1730f8103e54cbb  pb_encode.h
e2f2fc8fe3faa7dcb09dbe995db48c6ec5c1f72705db915101e4a83fed44f66d  LICENSE.txt"

if [[ -f "$runtime/.complete" ]]; then
    echo "$runtime"
    exit 0
fi
for tool in apt-get dpkg-source sha256sum; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "$me: $tool not found; the nanopb runtime is fetched from Debian's source package (apt-get install dpkg-dev)" >&2; exit 1; }
done
work="$cache/fetch"
rm -rf "$work" "$runtime"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" >"$work/src.list"
apto=(-o "Dir::Etc::sourcelist=$work/src.list" -o Dir::Etc::sourceparts=/nonexistent
      -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)
echo "$me: fetching Debian's nanopb_$version-2 source package into $cache" >&2
if ! (cd "$work" && apt-get "${apto[@]}" update -qq >&2 &&
      apt-get "${apto[@]}" source --download-only "nanopb=$version-2" >&2 &&
      dpkg-source -x "nanopb_$version-2.dsc" src >/dev/null 2>&1); then
    echo "$me: could not fetch or unpack Debian's nanopb_$version-2 source package (network? see above)" >&2
    exit 1
fi
mkdir -p "$runtime"
while read -r _ file; do cp "$work/src/$file" "$runtime/$file"; done <<<"$sums"
if ! (cd "$runtime" && sha256sum --quiet -c - <<<"$sums" >&2); then
    echo "$me: the nanopb runtime in $work/src differs from the pinned SHA-256 sums; not used" >&2
    rm -rf "$runtime"
    exit 1
fi
rm -rf "$work"
touch "$runtime/.complete"
echo "$runtime"
