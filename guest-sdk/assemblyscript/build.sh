#!/usr/bin/env bash
# Builds the AssemblyScript SDK's example service, reproducibly, into the committed files:
#   examples/catalog/catalog.wasm          the module (asc 0.28.20, --runtime incremental -O3
#                                          --exportStart _initialize)
#   examples/catalog/catalog.desc          the FileDescriptorSet of its .proto (the Java test
#                                          reads its messages with it)
#   examples/catalog/assembly/generated/   its message classes (as-proto-gen 1.3.0)
#   assembly/parigot/proto/                the storage service's classes, from
#                                          sim-kernel/src/main/proto (as-proto-gen 1.3.0)
#
# Both modes also compile test/sdk_test.ts and run it under node against the scripted kernel
# of test/run.mjs (the SDK's own test; nothing of it is committed but its sources).
#
#   build.sh            rebuild all of them in place
#   build.sh --check    rebuild into a temporary directory and compare byte for byte with the
#                       committed files; also check that every ```ts block of README.md is
#                       verbatim in the example's sources. Exit 1 on any difference.
#
# Needs node and npm (runs `npm ci` when node_modules lacks the pinned versions); without them
# it says so and exits 0. The generated .ts files and the descriptor set need protoc 33.1
# (Maven's com.google.protobuf:protoc:4.33.1, the one sim-kernel builds with; found through
# $PROTOC, then ~/.m2, then PATH): with another protoc, or none, those are not regenerated
# (their headers name the protoc version) and the .wasm is built from the committed ones.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
me="guest-sdk/assemblyscript/build.sh"

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "$me: unknown argument: $1 (usage: build.sh [--check])" >&2; exit 2 ;;
esac

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "$me: node or npm not found; skipped (install Node.js 20 and npm to build AssemblyScript guests)"
    exit 0
fi

# The pinned toolchain, installed from package-lock.json when missing or of another version.
pinned_ok() {
    node -e '
        const want = {"assemblyscript": "0.28.20", "as-proto": "1.3.0", "as-proto-gen": "1.3.0"};
        for (const [name, version] of Object.entries(want)) {
            let got;
            try { got = require("./node_modules/" + name + "/package.json").version; } catch (e) { process.exit(1); }
            if (got !== version) process.exit(1);
        }' 2>/dev/null
}
if ! pinned_ok; then
    echo "$me: npm ci (installing the pinned assemblyscript, as-proto, as-proto-gen)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    pinned_ok || { echo "$me: npm ci did not install the pinned versions; see package-lock.json" >&2; exit 1; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# protoc 33.1 (protobuf 4.33.1), or nothing.
protoc=""
for candidate in "${PROTOC:-}" "$HOME/.m2/repository/com/google/protobuf/protoc/4.33.1/protoc-4.33.1-linux-x86_64.exe" \
    "$(command -v protoc || true)"; do
    [[ -n "$candidate" && -f "$candidate" ]] || continue
    cp "$candidate" "$work/protoc" && chmod +x "$work/protoc" # Maven caches it without the x bit
    if [[ "$("$work/protoc" --version 2>/dev/null)" == "libprotoc 33.1" ]]; then
        protoc="$work/protoc"
        break
    fi
done

# Where this run writes: in place, or a copy of the tree to compare against.
if [[ $check -eq 1 ]]; then
    out="$work/tree"
    mkdir -p "$out"
    cp -r assembly examples "$out/"
    ln -s "$PWD/node_modules" "$out/node_modules"
else
    out="$PWD"
fi

gen="$PWD/node_modules/.bin/as-proto-gen"
asc="$PWD/node_modules/.bin/asc"
# Every example: examples/<name>/<name>.ts with its .proto files under examples/<name>/proto/.
examples=()
for dir in examples/*/; do
    name="$(basename "$dir")"
    [[ -f "$dir/$name.ts" ]] && examples+=("$name")
done
if [[ -n "$protoc" ]]; then
    rm -rf "$out/assembly/parigot/proto"
    mkdir -p "$out/assembly/parigot/proto"
    "$protoc" -I ../../sim-kernel/src/main/proto --plugin=protoc-gen-as="$gen" --as_opt=gen-helper-methods \
        --as_out="$out/assembly/parigot/proto" parigot/storage/v1/storage.proto
    for name in "${examples[@]}"; do
        rm -rf "$out/examples/$name/assembly/generated"
        mkdir -p "$out/examples/$name/assembly/generated"
        protos=$(cd "examples/$name/proto" && find . -name '*.proto' | sed 's#^\./##' | LC_ALL=C sort)
        # shellcheck disable=SC2086 # one word per .proto file
        "$protoc" -I "examples/$name/proto" --plugin=protoc-gen-as="$gen" --as_opt=gen-helper-methods \
            --as_out="$out/examples/$name/assembly/generated" \
            --descriptor_set_out="$out/examples/$name/$name.desc" $protos
    done
else
    echo "$me: protoc 33.1 not found (set PROTOC, or run mvn once so ~/.m2 has it); generated classes not regenerated"
fi

for name in "${examples[@]}"; do
    (cd "$out/examples/$name" && "$asc" "$name.ts" -o "$name.wasm" \
        --runtime incremental -O3 --exportStart _initialize)
done

# The SDK's own test: test/sdk_test.ts against the scripted kernel of test/run.mjs, under node.
"$asc" test/sdk_test.ts -o "$work/sdk_test.wasm" --runtime incremental -O3 --exportStart _initialize
node test/run.mjs "$work/sdk_test.wasm"

if [[ $check -eq 0 ]]; then
    for name in "${examples[@]}"; do
        echo "$me: built examples/$name/$name.wasm ($(wc -c <"examples/$name/$name.wasm") bytes)"
    done
    exit 0
fi

failed=0
compare() { # a committed path and its rebuilt copy
    if ! diff -r "$1" "$2" >/dev/null; then
        echo "$me: $1 differs from a rebuild; run guest-sdk/assemblyscript/build.sh and commit the result" >&2
        failed=1
    fi
}
for name in "${examples[@]}"; do
    compare "examples/$name/$name.wasm" "$out/examples/$name/$name.wasm"
    if [[ -n "$protoc" ]]; then
        compare "examples/$name/$name.desc" "$out/examples/$name/$name.desc"
        compare "examples/$name/assembly/generated" "$out/examples/$name/assembly/generated"
    fi
done
if [[ -n "$protoc" ]]; then
    compare assembly/parigot/proto "$out/assembly/parigot/proto"
fi

# README.md's ```ts blocks must be verbatim in the example's sources.
node - README.md examples/catalog/catalog.ts <<'JS' || failed=1
const fs = require("fs");
const [readme, ...sources] = process.argv.slice(2).map(p => fs.readFileSync(p, "utf8"));
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
if (blocks.length === 0) { console.error("build.sh: README.md has no ```ts block"); process.exit(1); }
const stale = blocks.filter(b => !sources.some(s => s.includes(b)));
for (const b of stale) console.error("build.sh: README.md shows a ```ts block that is not in the example's sources:\n" + b);
process.exit(stale.length ? 1 : 0);
JS

if [[ $failed -eq 0 ]]; then
    echo "$me: ${examples[*]}$([[ -n "$protoc" ]] && echo " (modules, descriptor sets and generated classes)") match a rebuild; README blocks match"
fi
exit $failed
