#!/usr/bin/env bash
# The runner as a new user meets it (docs/runner.md, "The jar, in one minute"):
#   1. the shaded jar starts the bank sample from its manifest as two processes; a deposit goes in
#      with JSON over Connect and the balance comes back;
#   2. the record shop from samples/shop/shop.yaml as three processes (the samples' jar beside the
#      runner's for the payment and shipping fakes, storage under a data directory): restocked and
#      bought from with JSON over Connect, the order listed by the orders unit.
# HTTP with curl, or Python's urllib where curl is missing. Each launcher is stopped with SIGTERM.
# Needs `mvn -B -q install -DskipTests` first (the jars and the samples' descriptor set).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=runner/target/parigot-runner.jar
samples_jar=$(ls samples/target/parigot-sim-samples-*.jar 2>/dev/null | grep -v -e '-sources' -e '-javadoc' | head -1 || true)
desc=$(ls samples/target/generated-resources/protobuf/descriptor-sets/*.protobin 2>/dev/null | head -1 || true)
for f in "$jar" "$samples_jar" "$desc"; do
    [ -n "$f" ] && [ -f "$f" ] || { echo "smoke: a jar or the samples' descriptor set is missing; run mvn -B -q install -DskipTests first" >&2; exit 2; }
done
work=$(mktemp -d)
launchers=()
stop_all() {
    for pid in "${launchers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${launchers[@]}"; do wait "$pid" 2>/dev/null || true; done
    launchers=()
}
trap 'stop_all; rm -rf "$work"' EXIT

# post URL JSON: prints "<http status> <body on one line>"
post() {
    if command -v curl >/dev/null 2>&1; then
        curl -s -m 30 -o "$work/body" -w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "$1" >"$work/code" || true
    else
        python3 - "$1" "$2" "$work/body" "$work/code" <<'PY'
import sys, urllib.request, urllib.error
url, body, out, code = sys.argv[1:]
req = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
try:
    r = urllib.request.urlopen(req, timeout=30); status, data = r.status, r.read()
except urllib.error.HTTPError as e:
    status, data = e.code, e.read()
open(out, "wb").write(data); open(code, "w").write(str(status))
PY
    fi
    echo "$(cat "$work/code") $(tr -d '\n' <"$work/body")"
}

# connect_url LOG UNIT: the Connect URL the launcher printed for UNIT (waits up to 180 s)
connect_url() {
    local url=""
    for _ in $(seq 1 180); do
        url=$(grep -o "unit $2 serves .* and http://[0-9.:]*" "$1" | grep -o 'http://[0-9.:]*$' || true)
        [ -n "$url" ] && { echo "$url"; return 0; }
        sleep 1
    done
    echo "smoke: unit $2 did not start within 180 s; the launcher's output:" >&2
    cat "$1" >&2
    return 1
}

expect() { # expect WHAT REPLY PATTERN LOG
    if ! grep -q -- "$3" <<<"$2"; then
        echo "smoke: $1: expected $3, got: $2; the launcher's output:" >&2
        cat "$4" >&2
        exit 1
    fi
    echo "smoke: $1 -> $2"
}

# ---- 1. the bank from the runner's jar alone
bank_log="$work/bank.log"
java -jar "$jar" run samples/src/main/resources/guests/bank.yaml --descriptors "$desc" >"$bank_log" 2>&1 &
launchers+=($!)
teller=$(connect_url "$bank_log" teller)
expect "bank: Deposit" "$(post "$teller/bank.v1.Teller/Deposit" '{"account": "smoke", "amount": "5"}')" \
    '^200 .*"balance": "5"' "$bank_log"
stop_all

# ---- 2. the record shop as three processes, with its fakes from the samples' jar
shop_log="$work/shop.log"
java -cp "$jar:$samples_jar" dev.parigot.sim.runner.Launcher run samples/shop/shop.yaml --descriptors "$desc" \
    --java-in storefront:payments=dev.parigot.sim.samples.ShopSample.Payments \
    --java-in storefront:shipping=dev.parigot.sim.samples.ShopSample.Shipping \
    --data "$work/data" --restarts 1 >"$shop_log" 2>&1 &
launchers+=($!)
storefront=$(connect_url "$shop_log" storefront)
stock=$(connect_url "$shop_log" stock)
orders=$(connect_url "$shop_log" orders)
expect "shop: SetStock" "$(post "$stock/shop.v1.Inventory/SetStock" '{"sku": "harvest-11163", "stock": 100}')" \
    '^200 ' "$shop_log"
bought=""
for _ in $(seq 1 10); do # the first checkouts into cold JVMs can miss the checkout's 100 ms deadlines
    bought=$(post "$storefront/shop.v1.Checkout/Checkout" '{"customer": "lin", "sku": "harvest-11163", "quantity": 1}')
    [[ "$bought" == 504* ]] || break
done
expect "shop: Checkout" "$bought" '^200 .*"orderId": "vv-' "$shop_log"
expect "shop: Orders.List" "$(post "$orders/shop.v1.Orders/List" '{"customer": "lin"}')" '^200 .*"orderId": "vv-' "$shop_log"
ls "$work/data/orders/orders-1.disk" "$work/data/orders/orders-2.disk" >/dev/null
stop_all
grep -q '^\[launcher\] unit orders serves' "$shop_log" || { echo "smoke: no orders line in the log" >&2; exit 1; }
echo "smoke: the bank as two processes and the shop as three ran from the jars and were stopped"
