#!/usr/bin/env bash
# Writes a release fixture: starts a release's standalone host on an empty data folder, drives a small but complete
# world through its gateway, records what it answers, stops it and keeps its SQLite files beside the answers.
# ReleaseFixtureTests then starts today's host on a copy of those files and checks that everything still reads the same.
#
#   record-release.sh <TradeNet.Standalone.dll of the release> <fixture folder> [stop|kill]
#
# stop (default) ends the host with SIGTERM; kill with SIGKILL right after the last write, so its outbox may still hold
# events it had not published. Needs bash, curl, jq and sqlite3. Ports RECORD_PORT (5750) to RECORD_PORT+2.
# Only routes every release since 28 Nov 2026 has are used, so a future release can record its own fixture the same way.
set -euo pipefail

dll=$(realpath "$1"); out=$2; mode=${3:-stop}
port=${RECORD_PORT:-5750}
gateway="http://127.0.0.1:$port"
# Test-only secrets: the fixture keeps them so the test can prove old keys still work.
ops_key="ops-key-for-release-fixtures-0123456789"
work=$(mktemp -d); data="$work/data"; mkdir -p "$data" "$out"
log="$work/host.log"

say() { echo "[$(date +%H:%M:%S)] $*" >&2; }
fail() { say "FAILED: $*"; say "host log: $log"; tail -40 "$log" >&2; kill -9 "$host" 2>/dev/null || true; exit 1; }

# call METHOD PATH KEY EXPECTED-STATUS [JSON BODY] — prints the answer's body.
call() {
  local method=$1 path=$2 key=$3 expected=$4 body=${5:-} status
  local args=(-sS -o "$work/body" -w '%{http_code}' -X "$method" "$gateway$path" -H "X-Api-Key: $key")
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  status=$(curl "${args[@]}") || fail "$method $path: curl failed"
  [[ $status == "$expected" ]] || fail "$method $path: expected $expected, got $status: $(cat "$work/body")"
  cat "$work/body"
}

# until_true SECONDS DESCRIPTION COMMAND… — retries COMMAND once a second.
until_true() {
  local seconds=$1 what=$2; shift 2
  for ((i = 0; i < seconds; i++)); do "$@" && return 0; sleep 1; done
  fail "waited ${seconds}s for $what"
}

say "starting $dll on $data (gateway $gateway)"
(cd "$(dirname "$dll")" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 \
  Standalone__EdgeUrl="$gateway" Standalone__ServicesUrl="http://127.0.0.1:$((port + 1))" \
  Standalone__GrpcUrl="http://127.0.0.1:$((port + 2))" Standalone__Seed=false Storage__DataDir="$data" \
  Gateway__Operators__0__Name=ops Gateway__Operators__0__Key="$ops_key" \
  Gateway__RateLimit__RegistrationsPerMinute=1000 dotnet "$dll") >"$log" 2>&1 &
host=$!
until_true 90 "the host's health" curl -sf -o /dev/null "$gateway/health"

declare -A key id
register() { # name insee lat lon
  local answer
  answer=$(call POST /api/catalog/towns "" 201 "{\"name\":\"$1\",\"inseeCode\":\"$2\",\"lat\":$3,\"lon\":$4,\"specialties\":[\"cheese\"]}")
  id[$1]=$(jq -r .town.id <<<"$answer"); key[$1]=$(jq -r .apiKey <<<"$answer")
}
register Roanne 42187 46.0443 4.07974
register Riorges 42184 46.0431 4.0413
register Mably 42127 46.0650 4.0600
register "Le Coteau" 42071 46.0200 4.0900
say "towns: ${id[*]}"

# Vehicles first: a release without any plans agreed legs at once as direct trips. One a town registers, one an
# operator registers for a town.
call POST /api/logistics/vehicles "${key[Roanne]}" 201 \
  '{"homeLat":46.0443,"homeLon":4.07974,"name":"Roanne van","capacityKg":5000,"volumeM3":30,"chilled":true,"costPerKm":0.8,"fixedCost":20}' >/dev/null
call POST /api/logistics/vehicles "$ops_key" 201 \
  "{\"homeTown\":\"${id[Mably]}\",\"homeLat\":46.065,\"homeLon\":4.06,\"name\":\"Mably truck\",\"capacityKg\":8000,\"volumeM3\":40,\"chilled\":true,\"costPerKm\":1.1,\"fixedCost\":35}" >/dev/null

mapfile -t cat < <(call GET /api/catalog/categories "" 200 | jq -r '.[] | select(.weightPerUnit > 0) | .id')

publish() { # town kind category quantity → listing id
  local distance=null; [[ $2 == need ]] && distance=200
  call POST /api/catalog/listings "${key[$1]}" 201 \
    "{\"kind\":\"$2\",\"category\":\"$3\",\"quantity\":$4,\"minLot\":10,\"maxDistanceKm\":$distance}" | jq -r .id
}

declare -A trade offer
# swap NAME A B n: A offers category 2n to B, B offers category 2n+1 to A, in full.
swap() {
  offer[$1]=$(publish "$2" offer "${cat[$((2 * $4))]}" 100)
  publish "$3" need "${cat[$((2 * $4))]}" 100 >/dev/null
  publish "$3" offer "${cat[$((2 * $4 + 1))]}" 300 >/dev/null
  publish "$2" need "${cat[$((2 * $4 + 1))]}" 300 >/dev/null
}
proposal_of() { # the proposed trade using a listing
  call GET "/api/matching/trades?status=proposed&limit=1000" "$ops_key" 200 |
    jq -r --arg l "$1" '[.[] | select(any(.legs[]; .offerId == $l or .needId == $l))][0].id // empty'
}
proposed() { for name in "$@"; do [[ -n $(proposal_of "${offer[$name]}") ]] || return 1; done; }
round_until_proposed() { # trade names
  for ((r = 0; r < 30; r++)); do
    call POST /api/matching/rounds "$ops_key" 201 >/dev/null
    if proposed "$@"; then
      for name in "$@"; do trade[$name]=$(proposal_of "${offer[$name]}"); done
      return 0
    fi
    sleep 1
  done
  fail "proposals for $*"
}
status_is() { [[ $(call GET "/api/matching/trades/$1" "$ops_key" 200 | jq -r .status) == "$2" ]]; }
accept() { call POST "/api/matching/trades/${trade[$1]}/accept" "${key[$2]}" 200 >/dev/null; }

# completed: picked up and delivered; on_the_road: one leg picked up, the other picked up and failed; planned: nothing
# picked up; agreed: agreed after the planning run, its legs wait for the next one; rejected: Roanne accepts, Le Coteau
# rejects; cancelled: agreed, then cancelled by an operator.
# One round per swap: a round given several at once may join them into one trade among three towns.
while read -r name a b n; do swap "$name" "$a" "${b//_/ }" "$n"; round_until_proposed "$name"; done <<'WORLD'
completed Roanne Riorges 0
on_the_road Mably Le_Coteau 1
planned Roanne Mably 2
agreed Riorges Le_Coteau 3
rejected Roanne Le_Coteau 4
cancelled Riorges Mably 5
WORLD
say "trades: $(for n in "${!trade[@]}"; do printf '%s=%s ' "$n" "${trade[$n]}"; done)"

for pair in "completed Roanne Riorges" "on_the_road Mably Le Coteau" "planned Roanne Mably" "cancelled Riorges Mably"; do
  read -r name a b <<<"$pair"; accept "$name" "$a"; accept "$name" "$b"
done
accept rejected Roanne
call POST "/api/matching/trades/${trade[rejected]}/reject" "${key[Le Coteau]}" 200 >/dev/null
for name in completed on_the_road planned cancelled; do until_true 60 "$name agreed" status_is "${trade[$name]}" agreed; done
until_true 60 "rejected cancelled" status_is "${trade[rejected]}" cancelled
call POST "/api/matching/trades/${trade[cancelled]}/cancel" "$ops_key" 200 '{"reason":"Road closed at Mably"}' >/dev/null
until_true 60 "the operator's cancel" status_is "${trade[cancelled]}" cancelled

# Listings changed and withdrawn: Le Coteau takes back what it rejected, Roanne lowers its rejected offer, Riorges
# publishes and withdraws an offer no one needs.
for l in $(call GET "/api/catalog/listings?town=${id[Le Coteau]}&limit=1000" "$ops_key" 200 |
  jq -r --arg c4 "${cat[8]}" --arg c5 "${cat[9]}" '.[] | select(.category == $c4 or .category == $c5) | .id'); do
  call DELETE "/api/catalog/listings/$l" "${key[Le Coteau]}" 200 >/dev/null
done
call PUT "/api/catalog/listings/${offer[rejected]}" "${key[Roanne]}" 200 '{"quantity":80}' >/dev/null
spare=$(publish Riorges offer "${cat[12]}" 50)
call DELETE "/api/catalog/listings/$spare" "${key[Riorges]}" 200 >/dev/null

pending() { [[ $(call GET "/api/logistics/transfers?status=pending" "$ops_key" 200 | jq length) == "$1" ]]; }
until_true 60 "6 pending transfers" pending 6
plan=$(call POST /api/logistics/plans "$ops_key" 200)
say "planning run: $(jq -c '{pending, planned, routes}' <<<"$plan")"

accept agreed Riorges; accept agreed "Le Coteau"
until_true 60 "agreed agreed" status_is "${trade[agreed]}" agreed
until_true 60 "2 pending transfers" pending 2

shipments_of() { call GET "/api/logistics/shipments?trade=$1" "$ops_key" 200; }
town_key() { for n in "${!id[@]}"; do [[ ${id[$n]} == "$1" ]] && echo "${key[$n]}"; done; }
pickup() { call POST "/api/logistics/shipments/$1/pickup" "$(town_key "$2")" 200 >/dev/null; }
deliver() { # shipment carrier receiver — the receiving town reads the handover code (releases that have one)
  local code
  code=$(call GET "/api/logistics/shipments/$1" "$(town_key "$3")" 200 | jq -r '.handoverCode // empty')
  call POST "/api/logistics/shipments/$1/delivery" "$(town_key "$2")" 200 "$([[ -n $code ]] && echo "{\"handoverCode\":\"$code\"}")" >/dev/null
}
while read -r s carrier to; do pickup "$s" "$carrier"; deliver "$s" "$carrier" "$to"; done < \
  <(shipments_of "${trade[completed]}" | jq -r '.[] | "\(.id) \(.carrierTown) \(.toTown)"')
until_true 60 "completed completed" status_is "${trade[completed]}" completed
mapfile -t road < <(shipments_of "${trade[on_the_road]}" | jq -r 'sort_by(.legIndex)[] | "\(.id) \(.carrierTown)"')
read -r s carrier <<<"${road[0]}"; pickup "$s" "$carrier"
read -r s carrier <<<"${road[1]}"; pickup "$s" "$carrier"
call POST "/api/logistics/shipments/$s/failure" "$(town_key "$carrier")" 200 '{"reason":"Truck broke down near Mably"}' >/dev/null

# Let the last events land (matching hears of the pickups and the failure) before reading everything.
legs_picked() { [[ $(call GET "/api/matching/trades/${trade[on_the_road]}" "$ops_key" 200 | jq '[.legs[] | select(.pickedUp)] | length') -ge 1 ]]; }
until_true 30 "matching hears of the pickups" legs_picked
sleep 3

say "recording answers"
paths=(/api/catalog/towns?limit=1000 "/api/matching/trades?limit=1000" "/api/matching/rounds?limit=500"
  "/api/matching/book?limit=1000" "/api/logistics/vehicles?limit=1000" "/api/logistics/shipments?limit=1000")
for t in "${id[@]}"; do paths+=("/api/catalog/towns/$t" "/api/catalog/listings?town=$t&limit=1000"); done
# Each transfer status the release knows (delivered came on 5 Dec; before, a delivered leg read planned).
for s in pending planned held cancelled delivered; do
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "X-Api-Key: $ops_key" "$gateway/api/logistics/transfers?status=$s&limit=1000") == 200 ]] &&
    paths+=("/api/logistics/transfers?status=$s&limit=1000")
done
for r in $(call GET "/api/logistics/shipments?limit=1000" "$ops_key" 200 | jq -r '[.[].routeId] | unique[]'); do paths+=("/api/logistics/routes/$r"); done
for n in completed on_the_road planned agreed cancelled; do paths+=("/api/logistics/trades/${trade[$n]}/transfers"); done
{
  echo '{'
  first=1
  for p in "${paths[@]}"; do
    [[ $first == 1 ]] || echo ','; first=0
    printf '%s: %s' "$(jq -Rn --arg p "$p" '$p')" "$(call GET "$p" "$ops_key" 200)"
  done
  echo '}'
} | jq --sort-keys . >"$out/answers.json"

# What each receiving town reads on its shipments (the handover code, where the release has one).
codes=$(call GET "/api/logistics/shipments?limit=1000" "$ops_key" 200 | jq -r '.[] | "\(.id) \(.toTown)"' | while read -r s to; do
  call GET "/api/logistics/shipments/$s" "$(town_key "$to")" 200 | jq -c --arg s "$s" '{($s): (.handoverCode // null)}'
done | jq -s 'add')
# Riorges replaces its key (the route every release has): the one it gave up must stay refused after an upgrade.
revoked=${key[Riorges]}
key[Riorges]=$(call POST "/api/catalog/towns/${id[Riorges]}/api-key" "$revoked" 200 | jq -r .apiKey)
jq -n --arg ops "$ops_key" --argjson codes "$codes" --arg mode "$mode" --arg revoked "$revoked" \
  --argjson towns "$(for n in "${!id[@]}"; do jq -n --arg n "$n" --arg i "${id[$n]}" --arg k "${key[$n]}" '{($n): {id: $i, apiKey: $k}}'; done | jq -s add)" \
  --argjson trades "$(for n in "${!trade[@]}"; do jq -n --arg n "$n" --arg t "${trade[$n]}" '{($n): $t}'; done | jq -s add)" \
  '{operatorKey: $ops, stopped: $mode, towns: $towns, trades: $trades, handoverCodes: $codes, revokedKeys: [$revoked]}' >"$out/world.json"

if [[ $mode == kill ]]; then
  # One more write, then the process dies at once: what it had not published stays in its outbox.
  publish Roanne offer "${cat[13]}" 40 >/dev/null
  kill -9 "$host"
else
  kill -TERM "$host"
fi
wait "$host" || true
say "host stopped ($mode)"

for db in catalog matching logistics; do
  # Folds the write-ahead log into the file (after a kill, what a restart would recover) so the fixture is one file each.
  sqlite3 "$data/$db.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  [[ ! -e "$data/$db.db-wal" ]] || fail "$db.db-wal is still there"
  cp "$data/$db.db" "$out/$db.db"
done
if [[ $mode == kill ]]; then
  for db in catalog matching logistics; do
    say "$db outbox rows left unsent: $(sqlite3 "$out/$db.db" "SELECT count(*) FROM outbox WHERE sent_at IS NULL")"
  done
fi
rm -f "$out"/*.db-wal "$out"/*.db-shm  # sqlite3's own reads above leave them, empty
ls -l "$out" >&2
rm -rf "$work"
