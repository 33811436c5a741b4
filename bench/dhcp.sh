#!/usr/bin/env bash
# DORA throughput: perfdhcp against dhcp-server and against Kea (kea-dhcp4, memfile lease store) across the
# same veth pair, in one run. For each server the request rate doubles (then steps) until more than 1% of
# the DISCOVERs sent end without an ACK; the highest rate under that bound is reported, then the ratio.
#
# Usage: sudo bench/dhcp.sh [--period SECONDS] [--rates "500 1000 2000 ..."]
# Needs root (namespaces, raw sockets). Installs perfdhcp (kea-admin) and kea-dhcp4-server when missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
period=5
rates="250 500 1000 1500 2000 3000 4000 6000 8000 12000 16000"
while [ $# -gt 0 ]; do
  case "$1" in
    --period) period=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    *) echo "usage: $0 [--period SECONDS] [--rates \"R1 R2 ...\"]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "dhcp.sh needs root (network namespaces, raw sockets); run it with sudo" >&2; exit 1; }

# shellcheck source=../scripts/lib/packages.sh
source "$repo/scripts/lib/packages.sh"
install_packages kea-admin kea-dhcp4-server iproute2 libpcap0.8

work=$(mktemp -d /tmp/netlab-dhcp-bench.XXXXXX)
suffix=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
server_ns="nlb-dhcps-$suffix"
client_ns="nlb-dhcpc-$suffix"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  ip netns delete "$server_ns" 2>/dev/null || true
  ip netns delete "$client_ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "Building dhcp-server (Release)..."
dotnet build "$repo/src/Dhcp.Server" -c Release -o "$work/bin" -nologo -v quiet >/dev/null

# Server 10.20.0.1/16 and perfdhcp 10.20.0.2/16 (perfdhcp acts as a relay from there); pool of ~65k addresses.
ip netns add "$server_ns"
ip netns add "$client_ns"
ip -n "$server_ns" link add eth0 type veth peer name eth0 netns "$client_ns"
ip -n "$server_ns" addr add 10.20.0.1/16 dev eth0
ip -n "$client_ns" addr add 10.20.0.2/16 dev eth0
for ns in "$server_ns" "$client_ns"; do
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
done

start_netlab() {
  rm -f "$work/netlab-leases.jsonl"
  # ARP probing off: Kea does not probe either.
  ip netns exec "$server_ns" dotnet "$work/bin/dhcp-server.dll" --interface eth0 \
    --dhcp-range 10.20.1.0 10.20.255.254 255.255.0.0 --lease-time 1h --no-ping --quiet \
    --lease-file "$work/netlab-leases.jsonl" >"$work/netlab.log" 2>&1 &
  server_pid=$!
}

start_kea() {
  rm -f "$work/kea-leases4.csv"*
  cat >"$work/kea.json" <<JSON
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "eth0" ], "dhcp-socket-type": "raw" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$work/kea-leases4.csv", "lfc-interval": 3600 },
    "valid-lifetime": 3600,
    "subnet4": [ { "id": 1, "subnet": "10.20.0.0/16", "pools": [ { "pool": "10.20.1.0 - 10.20.255.254" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "$work/kea.log" } ], "severity": "WARN" } ]
} }
JSON
  KEA_PIDFILE_DIR="$work" KEA_LOCKFILE_DIR="$work" ip netns exec "$server_ns" kea-dhcp4 -c "$work/kea.json" >"$work/kea.out" 2>&1 &
  server_pid=$!
}

# Prints "completed sent" for one perfdhcp run: ACKs received and DISCOVERs sent.
run_perfdhcp() {
  local rate=$1 out
  out=$(ip netns exec "$client_ns" perfdhcp -4 -l eth0 -r "$rate" -p "$period" -R 1000000 10.20.0.1 2>&1 || true)
  echo "$out" >"$work/perfdhcp-$rate.txt"
  echo "$out" | awk 'BEGIN {n = 0} /^sent packets:/ {s[n]=$3} /^received packets:/ {r[n]=$3; n++} END {print (r[1]+0), (s[0]+0)}'
}

# Highest rate with under 1% of exchanges lost, restarting the server (empty lease file) for every step
# so the pool never runs dry.
best_rate=0
measure() {
  local name=$1 start=$2 rate completed sent
  best_rate=0
  for rate in $rates; do
    $start
    sleep 2
    kill -0 "$server_pid" 2>/dev/null || { echo "$name did not start; see $work" >&2; cat "$work"/*.log "$work"/*.out 2>/dev/null >&2; exit 1; }
    # Warm-up, not counted: ARP caches, and .NET tiers its hot methods up to optimized code in the first seconds.
    ip netns exec "$client_ns" perfdhcp -4 -l eth0 -r 300 -p 3 -R 1000000 10.20.0.1 >/dev/null 2>&1 || true
    read -r completed sent < <(run_perfdhcp "$rate")
    stop_server
    local loss
    loss=$(awk -v c="$completed" -v s="$sent" 'BEGIN { if (s == 0) print 100; else printf "%.2f", (s - c) * 100 / s }')
    printf '  %-10s rate %6s/s: %7s DORA of %7s DISCOVERs, %6s%% lost\n' "$name" "$rate" "$completed" "$sent" "$loss"
    if awk -v l="$loss" 'BEGIN { exit !(l < 1) }'; then
      best_rate=$rate
    else
      break
    fi
  done
}

echo "perfdhcp $(perfdhcp -v 2>&1 | head -1), kea-dhcp4 $(kea-dhcp4 -v), ${period}s per step, CPUs: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dhcp-server:"
measure dhcp-server start_netlab
netlab=$best_rate
echo "kea-dhcp4 (memfile):"
measure kea-dhcp4 start_kea
kea=$best_rate
echo
echo "highest rate with <1% lost DORA exchanges:"
echo "  dhcp-server: $netlab/s"
echo "  kea-dhcp4:   $kea/s"
awk -v a="$netlab" -v b="$kea" 'BEGIN { if (b > 0) printf "  ratio dhcp-server/kea: %.2f\n", a / b; else print "  ratio: n/a (Kea sustained no rate)" }'
