#!/usr/bin/env bash
# build-guest.sh on a third-party library (test/tally: its own include/, a define, CFLAGS,
# two sources): the module builds, the define and CFLAGS take effect, its bytes do not
# depend on where the library lies or where the build runs, and a bad command line fails
# with one line on stderr and exit 2.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
build="$(dirname "$here")/build-guest.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "build_test.sh: $1" >&2
    exit 1
}

# Two copies of the library at different places; one built from inside, one from above.
mkdir -p "$tmp/a" "$tmp/b/deeper/still"
cp -R "$here/tally" "$tmp/a/"
cp -R "$here/tally" "$tmp/b/deeper/still/"
export CFLAGS="-Os -DTALLY_FROM_CFLAGS" # tally.c fails to compile without both
(cd "$tmp/a/tally" && "$build" -I include -D 'TALLY_NAME="tally-built-with-a-define"' \
    -DTALLY_UNUSED -D 'TALLY_TWICE(x)=((x) * 2)' "$tmp/a.wasm" src/tally.c src/tally_service.c)
(cd "$tmp/b" && "$build" "$tmp/b.wasm" -Ideeper/still/tally/include \
    -D'TALLY_NAME="tally-built-with-a-define"' -D TALLY_UNUSED=1 -D'TALLY_TWICE(v)=((v) * 2)' \
    deeper/still/tally/src/tally.c deeper/still/tally/src/tally_service.c)

[[ "$(head -c 4 "$tmp/a.wasm" | od -An -tx1 | tr -d ' ')" == "0061736d" ]] ||
    fail "a.wasm is not a WASM module"
grep -qa "tally-built-with-a-define" "$tmp/a.wasm" || fail "the -D define did not reach the module"
grep -qa "parigot_on_call" "$tmp/a.wasm" || fail "the module does not export parigot_on_call"
# __FILE__ of the header and of the library source, relative to their -I and source dirs.
grep -qa "tally/tally.h" "$tmp/a.wasm" || fail "the header's path is not tally/tally.h"
if grep -qa "$tmp" "$tmp/a.wasm"; then fail "an absolute build path reached the module"; fi
cmp -s "$tmp/a.wasm" "$tmp/b.wasm" ||
    fail "the same library at another path, built from another directory, gave other bytes"

# Bad command lines: exit 2 and one line on stderr that says what is wrong.
rejected=0
expect_bad() {
    local want="$1"
    shift
    local err rc=0
    err="$(cd "$tmp/a/tally" && "$build" "$@" 2>&1 >/dev/null)" || rc=$?
    [[ $rc -eq 2 ]] || fail "expected exit 2 from build-guest.sh $*, got $rc: $err"
    [[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]] || fail "expected one line from build-guest.sh $*: $err"
    [[ "$err" == *"$want"* ]] || fail "expected '$want' from build-guest.sh $*, got: $err"
    rejected=$((rejected + 1))
}
expect_bad "no such include directory: inc (relative paths start at $tmp/a/tally)" \
    -I inc "$tmp/x.wasm" src/tally.c
expect_bad "no such include directory: /nonexistent" -I/nonexistent "$tmp/x.wasm" src/tally.c
expect_bad "-I needs an argument" "$tmp/x.wasm" src/tally.c -I
expect_bad "-D needs an argument" "$tmp/x.wasm" src/tally.c -D
expect_bad "-D needs NAME or NAME=VALUE" -D 1TALLY "$tmp/x.wasm" src/tally.c
expect_bad "-D needs NAME or NAME=VALUE" -D 'TALLY(x=1' "$tmp/x.wasm" src/tally.c
expect_bad "unknown option: -O3 (other clang flags go in CFLAGS" -O3 "$tmp/x.wasm" src/tally.c
expect_bad "no such source file: src/missing.c" "$tmp/x.wasm" src/missing.c
expect_bad "needs the output module and at least one source" "$tmp/x.wasm"
expect_bad "the first file is the output module, not a source: src/tally.c" src/tally.c "$tmp/x.wasm"
expect_bad "no such directory for the output: $tmp/none" "$tmp/none/x.wasm" src/tally.c
"$build" --help | grep -q -- "-I DIR" || fail "--help does not show the usage"
[[ ! -e "$tmp/x.wasm" ]] || fail "a rejected command line wrote a module"

echo "build_test.sh: a library with its own include/ builds to the same bytes from two places;" \
    "$rejected bad command lines rejected"
