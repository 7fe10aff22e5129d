#!/usr/bin/env bash
# Runs the SDK's native unit test (sdk_test.c) under AddressSanitizer and UBSan, builds the
# README's example, and checks build-guest.sh on a third-party library (build_test.sh) and on
# .proto files (proto_test.sh; skipped without protoc and nanopb).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
sdk="$(dirname "$here")"
clang="${CLANG:-clang-16}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# The wasm import/export attributes mean nothing natively: the test defines the imports.
"$clang" -std=c11 -O1 -g -Wall -Wextra -Wno-unknown-attributes -Wno-ignored-attributes \
    -fsanitize=address,undefined -fno-sanitize-recover=all \
    -I"$sdk/include" "$sdk/src/parigot.c" "$sdk/src/parigot_pb.c" "$sdk/src/parigot_storage.c" \
    "$here/sdk_test.c" \
    -o "$out/sdk_test"
"$out/sdk_test"

# The README's complete example is examples/greeter.c, verbatim, and it must build.
if ! python3 - "$sdk/README.md" "$sdk/examples/greeter.c" <<'PY'
import sys
readme, example = (open(p).read() for p in sys.argv[1:])
sys.exit(0 if "```c\n" + example + "```" in readme else 1)
PY
then
    echo "run.sh: README.md does not contain examples/greeter.c verbatim" >&2
    exit 1
fi
# ... and the generated-stubs example (examples/inventory/) verbatim: its C and its .options.
if ! python3 - "$sdk/README.md" "$sdk/examples/inventory/inventory.c" "$sdk/examples/inventory/inventory.options" <<'PY2'
import sys
readme, example, options = (open(p).read() for p in sys.argv[1:])
missing = [name for name, block in (("inventory.c", "```c\n" + example + "```"),
                                    ("inventory.options", "```\n" + options + "```"))
           if block not in readme]
for name in missing:
    print("run.sh: README.md does not contain examples/inventory/" + name + " verbatim", file=sys.stderr)
sys.exit(1 if missing else 0)
PY2
then
    exit 1
fi
"$sdk/build-guest.sh" "$out/greeter.wasm" "$sdk/examples/greeter.c"
echo "run.sh: README example builds"
# The quickstart's service is the same example: a new user's first guest must not drift from it.
if ! cmp -s "$sdk/examples/greeter.c" "$sdk/../../examples/quickstart/src/main/c/greeter.c"; then
    echo "run.sh: examples/quickstart/src/main/c/greeter.c differs from guest-sdk/c/examples/greeter.c; keep them equal" >&2
    exit 1
fi
"$here/build_test.sh"
"$here/proto_test.sh"
