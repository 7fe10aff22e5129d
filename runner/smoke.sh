#!/usr/bin/env bash
# The runner as a new user meets it (docs/runner.md): the shaded jar starts the bank sample from its
# deployment manifest as two processes, a deposit goes in with JSON over Connect (curl, or Python's
# urllib where curl is missing), the balance comes back, and the launcher is stopped with SIGTERM.
# Needs `mvn install -DskipTests` (or package) first: runner/target/parigot-runner.jar and the
# samples' descriptor set written by the runner's test-compile.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=runner/target/parigot-runner.jar
desc=runner/target/generated-test-resources/protobuf/descriptor-sets/samples.desc
manifest=samples/src/main/resources/guests/bank.yaml
for f in "$jar" "$desc"; do
    [ -f "$f" ] || { echo "smoke: $f is missing; run mvn -B -q install -DskipTests first" >&2; exit 2; }
done
log=$(mktemp)
java -jar "$jar" run "$manifest" --descriptors "$desc" >"$log" 2>&1 &
launcher=$!
stop() { kill "$launcher" 2>/dev/null || true; wait "$launcher" 2>/dev/null || true; }
trap stop EXIT
url=""
for _ in $(seq 1 180); do
    url=$(grep -o 'unit teller serves .* and http://[0-9.:]*' "$log" | grep -o 'http://[0-9.:]*$' || true)
    [ -n "$url" ] && break
    kill -0 "$launcher" 2>/dev/null || break
    sleep 1
done
if [ -z "$url" ]; then
    echo "smoke: the teller unit did not start within 180 s; the launcher's output:" >&2
    cat "$log" >&2
    exit 1
fi
body='{"account": "smoke", "amount": "5"}'
if command -v curl >/dev/null 2>&1; then
    reply=$(curl -s -m 30 -H 'Content-Type: application/json' -d "$body" "$url/bank.v1.Teller/Deposit")
else
    reply=$(python3 -c 'import sys, urllib.request
r = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), headers={"Content-Type": "application/json"})
print(urllib.request.urlopen(r, timeout=30).read().decode())' "$url/bank.v1.Teller/Deposit" "$body")
fi
echo "smoke: POST $url/bank.v1.Teller/Deposit $body -> $reply"
if ! grep -q '"balance": "5"' <<<"$reply"; then
    echo "smoke: expected a balance of 5; the launcher's output:" >&2
    cat "$log" >&2
    exit 1
fi
stop
trap - EXIT
grep -q '^\[launcher\] unit ledger serves' "$log" || { echo "smoke: no ledger line in the log" >&2; cat "$log" >&2; exit 1; }
echo "smoke: the runner's jar ran the bank as two processes and stopped them"
