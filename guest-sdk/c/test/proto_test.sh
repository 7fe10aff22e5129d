#!/usr/bin/env bash
# build-guest.sh --proto beyond examples/inventory: two .proto files (one of messages only,
# imported by the other), a nested message type, a package-less service, and the errors of
# the generator and of nanopb, which must name the file, the method or the field at fault.
# Skipped (exit 0) without protoc and nanopb's generator.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
sdk="$(dirname "$here")"
for tool in "${PROTOC:-protoc}" "${PROTOC_GEN_NANOPB:-protoc-gen-nanopb}"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "proto_test.sh: $tool not found; skipped (apt-get install protobuf-compiler nanopb)"
        exit 0
    fi
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

fail() {
    echo "proto_test.sh: $1" >&2
    exit 1
}

# expect_error NAME TEXT ARGS...: build-guest.sh ARGS must fail with TEXT on stderr.
expect_error() {
    local name="$1" text="$2"
    shift 2
    if "$sdk/build-guest.sh" "$@" >"$out/$name.out" 2>"$out/$name.err"; then
        fail "$name: build-guest.sh $* succeeded; expected an error containing: $text"
    fi
    grep -qF -- "$text" "$out/$name.err" ||
        fail "$name: the error does not contain \"$text\":"$'\n'"$(cat "$out/$name.err")"
}

mkdir -p "$out/ok" "$out/bad"
cat >"$out/ok/common.proto" <<'P'
syntax = "proto3";
package t.v1;
message Outer {
  message Inner { string name = 1; repeated int64 values = 2; bytes blob = 3; }
  Inner inner = 1;
}
P
printf 't.v1.Outer.Inner.name max_size:8\nt.v1.Outer.Inner.values max_count:4\nt.v1.Outer.Inner.blob max_size:5\n' \
    >"$out/ok/common.options"
cat >"$out/ok/svc.proto" <<'P'
syntax = "proto3";
import "common.proto";
service Plain { rpc Echo(t.v1.Outer.Inner) returns (t.v1.Outer); }
P
cat >"$out/ok/svc.c" <<'C'
#include "svc.parigot.h"
static void echo(pg_call_id call, const t_v1_Outer_Inner *req) {
    t_v1_Outer reply = {.has_inner = true, .inner = *req};
    if (req->values_count == 0) { /* an error that carries a reply */
        Plain_Echo_reply_status(call, PG_FAILED_PRECONDITION, &reply);
        return;
    }
    Plain_Echo_reply(call, &reply);
}
static void echoed(void *ctx, int status, const t_v1_Outer *reply) {
    (void)ctx, (void)status, (void)reply;
}
int service_ready(void) {
    t_v1_Outer_Inner req = {.name = "x", .values_count = 1, .values = {7}};
    if (Plain_Echo_call(&req, echoed, NULL) <= 0) return 1;
    return Plain_Echo_call_timeout_at("peer", &req, 1000, echoed, NULL) > 0 ? 0 : 1; /* Plain@peer */
}
int service_start(void) {
    static const Plain_handlers handlers = {.Echo = echo};
    int status = Plain_register(&handlers);
    return status != PG_OK ? status : Plain_require();
}
C
"$sdk/build-guest.sh" --proto "$out/ok/common.proto" --proto "$out/ok/svc.proto" "$out/a.wasm" "$out/ok/svc.c"
mkdir -p "$out/elsewhere"
cp "$out/ok/"* "$out/elsewhere/"
(cd "$out/elsewhere" && "$sdk/build-guest.sh" --proto common.proto --proto svc.proto "$out/b.wasm" svc.c)
cmp -s "$out/a.wasm" "$out/b.wasm" || fail "the same .proto and .c built in two directories differ"

cat >"$out/bad/stream.proto" <<'P'
syntax = "proto3";
package s;
message M { int64 v = 1; }
service Feed { rpc Watch(M) returns (stream M); }
P
expect_error streaming "stream.proto: rpc s.Feed.Watch is streaming" \
    --proto "$out/bad/stream.proto" "$out/x.wasm" "$out/ok/svc.c"

cat >"$out/bad/empty.proto" <<'P'
syntax = "proto3";
package e;
import "google/protobuf/empty.proto";
message M { int64 v = 1; }
service Ping { rpc Ping(google.protobuf.Empty) returns (M); }
P
expect_error foreign_type "empty.proto: rpc e.Ping.Ping: its request type google.protobuf.Empty is defined in google/protobuf/empty.proto" \
    --proto "$out/bad/empty.proto" "$out/x.wasm" "$out/ok/svc.c"

cat >"$out/bad/unbounded.proto" <<'P'
syntax = "proto3";
package u;
message M { string note = 1; }
service S { rpc Say(M) returns (M); }
P
expect_error unbounded "Field 'note' is defined as static, but max_size or max_count is not given" \
    --proto "$out/bad/unbounded.proto" "$out/x.wasm" "$out/ok/svc.c"
grep -qF "needs a bound in the .options file" "$out/unbounded.err" || fail "unbounded: no hint about the .options file"

expect_error missing_proto "no such .proto file: $out/nope.proto" --proto "$out/nope.proto" "$out/x.wasm" "$out/ok/svc.c"
expect_error no_sdk "--proto needs the SDK" --no-sdk --proto "$out/ok/svc.proto" "$out/x.wasm" "$out/ok/svc.c"
echo "proto_test.sh: two .proto files with nested and package-less names build reproducibly; 5 bad inputs rejected with their cause"
