#!/usr/bin/env bash
# The wire drill (docs/operations.md, "Upgrading", "The distributed topology"): an older release's four processes on a
# RabbitMQ node of their own leave events waiting in queues for consumers that are stopped; today's start on the same
# data folder and node and must consume them right. Then a rolling upgrade in the wrong order (today's matching and
# logistics, the older catalog) and the right one (today's catalog) cancel a trade after a delivered leg.
#
#   wire-drill.sh <older checkout> <today's checkout>
#
# Each checkout needs Release builds of the catalog, logistics, matching and gateway
# (`dotnet build services/Catalog/TradeNet.Catalog -c Release`, …); an older one from `git archive <commit> | tar -x -C DIR`.
# Needs bash, curl, jq, sqlite3 and Debian's rabbitmq-server. Ports WIRE_PORT (46410) to WIRE_PORT+5, and +20/+21 for
# the node. Tried with a7bb26b (27 Nov) on 6 Dec: 65 s. Exits 1 on a wrong outcome, printing what it saw.
set -euo pipefail

old=$(realpath "$1"); new=$(realpath "$2")
repo=$(cd "$(dirname "$0")/../../../.." && pwd)
port=${WIRE_PORT:-46410}
W=$(mktemp -d); DATA=$W/data; mkdir -p "$DATA" "$W/logs"
# The node runs as user rabbitmq: its folder needs a world-traversable parent, which mktemp's is not.
RMQ=/tmp/tradenet-wire-drill-$$
OPS="ops-key-for-the-wire-drill-0123456789"
GW=http://127.0.0.1:$((port + 5))
declare -A REST=([catalog]=$port [logistics]=$((port + 2)) [matching]=$((port + 4)) [gateway]=$((port + 5)))
declare -A GRPC=([catalog]=$((port + 1)) [logistics]=$((port + 3)))
declare -A PROJ=([catalog]=services/Catalog/TradeNet.Catalog [logistics]=services/Logistics/TradeNet.Logistics
  [matching]=services/Matching/TradeNet.Matching [gateway]=gateway/TradeNet.Gateway)
declare -A PID=()

say() { echo "[$(date +%H:%M:%S)] $*" >&2; }
cleanup() {
  for n in "${!PID[@]}"; do kill "${PID[$n]}" 2>/dev/null || true; done
  "$repo/deploy/rabbitmq/stop-node.sh" "$RMQ" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { say "WRONG: $*"; say "logs: $W/logs"; exit 1; }

start() { # checkout name
  local n=$2 dll; dll="$1/${PROJ[$2]}/bin/Release/net10.0/$(basename "${PROJ[$2]}").dll"
  local env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1
    Auth__InternalTokenKey=wire-drill-internal-token-key-0123456789abcdef0123456789abcdef
    Storage__DataDir="$DATA" RabbitMq__Host=127.0.0.1 RabbitMq__Port=$((port + 20))
    Services__Catalog__Grpc=http://127.0.0.1:${GRPC[catalog]} Services__Logistics__Grpc=http://127.0.0.1:${GRPC[logistics]}
    Matching__ProposalTtl=00:10:00 Endpoints__Rest=http://127.0.0.1:${REST[$n]})
  [[ -n ${GRPC[$n]:-} ]] && env+=(Endpoints__Grpc=http://127.0.0.1:${GRPC[$n]})
  [[ $n == gateway ]] && env+=(ReverseProxy__Clusters__catalog__Destinations__d1__Address=http://127.0.0.1:${REST[catalog]}
    ReverseProxy__Clusters__matching__Destinations__d1__Address=http://127.0.0.1:${REST[matching]}
    ReverseProxy__Clusters__logistics__Destinations__d1__Address=http://127.0.0.1:${REST[logistics]}
    Gateway__Operators__0__Name=ops Gateway__Operators__0__Key=$OPS Gateway__RateLimit__RegistrationsPerMinute=1000)
  (cd "$(dirname "$dll")" && exec env "${env[@]}" dotnet "$dll") >>"$W/logs/$n.log" 2>&1 &
  PID[$n]=$!
  for ((i = 0; i < 90; i++)); do
    curl -sf -o /dev/null "http://127.0.0.1:${REST[$n]}/health" && { say "$n up ($1)"; return 0; }; sleep 1
  done
  fail "$n not healthy"
}
stop() { # name — SIGTERM, by its own pid
  kill "${PID[$1]}"; for ((i = 0; i < 30; i++)); do kill -0 "${PID[$1]}" 2>/dev/null || { unset "PID[$1]"; return 0; }; sleep 1; done
  fail "$1 did not stop"
}
call() { # METHOD PATH KEY EXPECTED [BODY] — prints the answer's body
  local method=$1 path=$2 key=$3 expected=$4 body=${5:-} status
  local args=(-sS -o "$W/body" -w '%{http_code}' -X "$method" "$GW$path" -H "X-Api-Key: $key")
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  for ((i = 0; i < 10; i++)); do # a gateway whose catalog just restarted answers 503 for a moment
    status=$(curl "${args[@]}"); [[ $status == 503 ]] || break; sleep 1
  done
  [[ $status == "$expected" ]] || fail "$method $path: expected $expected, got $status: $(cat "$W/body")"
  cat "$W/body"
}
queues() { "$repo/deploy/rabbitmq/ctl.sh" "$RMQ" list_queues name messages 2>/dev/null | awk -F'\t' 'NF == 2 && $1 != "name"' | sort; }

"$repo/deploy/rabbitmq/start-node.sh" "$RMQ" $((port + 20)) $((port + 21)) >/dev/null

declare -A key id trade
register() { local a; a=$(call POST /api/catalog/towns "" 201 "{\"name\":\"$1\",\"inseeCode\":\"$2\",\"lat\":$3,\"lon\":$4,\"specialties\":[\"cheese\"]}")
  id[$1]=$(jq -r .town.id <<<"$a"); key[$1]=$(jq -r .apiKey <<<"$a"); }
key_of() { for n in "${!id[@]}"; do [[ ${id[$n]} == "$1" ]] && echo "${key[$n]}"; done; }
publish() { # town kind category quantity
  call POST /api/catalog/listings "${key[$1]}" 201 \
    "{\"kind\":\"$2\",\"category\":\"$3\",\"quantity\":$4,\"minLot\":10,\"maxDistanceKm\":$([[ $2 == need ]] && echo 200 || echo null)}" | jq -r .id
}
swap() { # name category-a quantity-a category-b quantity-b (equal values): Roanne gives a, Riorges gives b
  local o; o=$(publish Roanne offer "$2" "$3"); publish Riorges need "$2" "$3" >/dev/null
  publish Riorges offer "$4" "$5" >/dev/null; publish Roanne need "$4" "$5" >/dev/null
  for ((r = 0; r < 20; r++)); do
    call POST /api/matching/rounds "$OPS" 201 >/dev/null
    trade[$1]=$(call GET "/api/matching/trades?status=proposed&limit=1000" "$OPS" 200 | jq -r --arg l "$o" '[.[] | select(any(.legs[]; .offerId == $l))][0].id // empty')
    [[ -n ${trade[$1]} ]] && return 0; sleep 1
  done
  fail "no proposal for $1"
}
status() { call GET "/api/matching/trades/${trade[$1]}" "$OPS" 200 | jq -r .status; }
accept() { call POST "/api/matching/trades/${trade[$1]}/accept" "${key[$2]}" 200 >/dev/null; }
shipments() { call GET "/api/logistics/shipments?trade=${trade[$1]}" "$OPS" 200; }
deliver() { # shipment carrier receiver (the receiving town reads the handover code, where the release has one)
  local code; code=$(call GET "/api/logistics/shipments/$1" "$(key_of "$3")" 200 | jq -r '.handoverCode // empty')
  call POST "/api/logistics/shipments/$1/pickup" "$(key_of "$2")" 200 >/dev/null
  call POST "/api/logistics/shipments/$1/delivery" "$(key_of "$2")" 200 "$([[ -n $code ]] && echo "{\"handoverCode\":\"$code\"}")" >/dev/null
}
listing() { # town category → "remaining status"
  call GET "/api/catalog/listings?town=${id[$1]}&limit=1000" "$OPS" 200 | jq -r --arg c "$2" '.[] | select(.category == $c) | "\(.remaining) \(.status)"'
}
wait_for() { for ((i = 0; i < 30; i++)); do "$@" && return 0; sleep 1; done; return 1; }
has_shipments() { [[ $(shipments "$1" | jq length) -ge 2 ]]; }
status_is() { [[ $(status "$1") == "$2" ]]; }

say "1. the older release leaves events in queues"
for n in catalog logistics matching gateway; do start "$old" $n; done
register Roanne 42187 46.0443 4.07974
register Riorges 42184 46.0431 4.0413
swap A apples 350 walnuts 100; swap B potatoes 300 oats 720; swap C flour 350 wheat 1600
accept A Roanne; accept A Riorges; wait_for status_is A agreed || fail "A not agreed"
accept C Roanne
stop catalog # the rejection's TradeCancelled waits for the next catalog
call POST "/api/matching/trades/${trade[C]}/reject" "${key[Riorges]}" 200 >/dev/null
wait_for status_is C cancelled || fail "C not cancelled"
stop matching # both deliveries' ShipmentDelivered wait for the next matching
wait_for has_shipments A || fail "A has no shipments"
while read -r s carrier to; do deliver "$s" "$carrier" "$to"; done < <(shipments A | jq -r '.[] | "\(.id) \(.carrierTown) \(.toTown)"')
sleep 2; stop logistics; stop gateway
say "queues the older release left:"; queues | grep -v $'\t0$' >&2 || true
waiting=$(queues | awk -F'\t' '$1 == "catalog-trade-cancelled" || $1 == "matching-shipment-delivered" { n += $2 } END { print n + 0 }')
[[ $waiting == 3 ]] || fail "expected 3 events waiting, saw $waiting"

say "2. today's release on the same folder and node"
for n in catalog logistics matching gateway; do start "$new" $n; done
wait_for status_is A completed || fail "A is $(status A), not completed"
sleep 3
left=$(queues | awk -F'\t' '$2 != 0 || $1 ~ /_(error|skipped)$/')
[[ -z $left ]] || fail "queues not drained, or errors: $left"
[[ $(listing Roanne apples) == "0 exhausted" ]] || fail "A's offer at catalog: $(listing Roanne apples)"
[[ $(listing Roanne flour) == "350 active" ]] || fail "C's offer at catalog: $(listing Roanne flour)"
accept B Roanne; accept B Riorges; wait_for has_shipments B || fail "B not planned"
say "A completed, C's listings whole, B agreed and planned; every queue empty, no _error or _skipped queue"

say "3. rolling upgrade in the wrong order: the older catalog, today's matching and logistics"
stop catalog; start "$old" catalog
read -r s carrier to < <(shipments B | jq -r 'sort_by(.legIndex)[0] | "\(.id) \(.carrierTown) \(.toTown)"')
deliver "$s" "$carrier" "$to"; sleep 2
call POST "/api/matching/trades/${trade[B]}/cancel" "$OPS" 200 '{"reason":"wire drill: road closed"}' >/dev/null; sleep 3
wrong=$(listing Roanne potatoes)
say "B cancelled after its potatoes leg was delivered; the older catalog left Roanne's potatoes offer at: $wrong"

say "4. the same with today's catalog"
stop catalog; start "$new" catalog
swap G honey 100 lentils 400; accept G Roanne; accept G Riorges; wait_for has_shipments G || fail "G not planned"
read -r s carrier to < <(shipments G | jq -r 'sort_by(.legIndex)[0] | "\(.id) \(.carrierTown) \(.toTown)"')
deliver "$s" "$carrier" "$to"; sleep 2
call POST "/api/matching/trades/${trade[G]}/cancel" "$OPS" 200 '{"reason":"wire drill: road closed"}' >/dev/null; sleep 3
right=$(listing Roanne honey)
say "G cancelled after its honey leg was delivered; today's catalog left Roanne's honey offer at: $right; lentils need at: $(listing Roanne lentils)"
[[ $right == "0 exhausted" ]] || fail "today's catalog released a delivered leg"
if grep -l -E "^(fail|crit):" "$W"/logs/*.log >&2; then say "(processes logged fail:/crit: lines: the files above)"; fi
say "done; logs in $W/logs"
