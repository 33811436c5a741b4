#!/usr/bin/env bash
# dnsperf against dns-server, Knot (knotd) and dnsmasq serving the same zone, one after the other in one run,
# with the same query file, the same duration, the same client load and the same number of server threads.
# Prints queries per second, the ratios to dns-server, and each server's peak RSS (VmHWM).
#
#   bench/dns.sh [--threads N] [--seconds S] [--names N]
#
# Everything runs on 127.0.0.1 with private configs, ports and directories; servers are ended by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
THREADS=2
SECONDS_PER_RUN=10
NAMES=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --names) NAMES=$2; shift 2 ;;
    *) echo "usage: bench/dns.sh [--threads N] [--seconds S] [--names N]" >&2; exit 2 ;;
  esac
done

source scripts/lib/packages.sh
install_packages dnsperf knot dnsmasq-base dnsutils

WORK=$(mktemp -d /tmp/netlab-dnsbench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The zone: SOA, NS, and NAMES hosts; the query file asks for every host (A), a tenth of them for AAAA (NODATA)
# and a tenth for names that do not exist (NXDOMAIN).
{
  echo '$ORIGIN lab.test.'
  echo '$TTL 3600'
  echo '@ IN SOA ns1 hostmaster 1 7200 900 1209600 300'
  echo '  IN NS ns1'
  echo 'ns1 IN A 192.168.10.1'
  for i in $(seq 1 "$NAMES"); do echo "host$i IN A 10.$(( i / 65536 % 256 )).$(( i / 256 % 256 )).$(( i % 256 ))"; done
} > "$WORK/lab.test.zone"
{
  for i in $(seq 1 "$NAMES"); do echo "host$i.lab.test A"; done
  for i in $(seq 1 $(( NAMES / 10 ))); do echo "host$i.lab.test AAAA"; done
  for i in $(seq 1 $(( NAMES / 10 ))); do echo "missing$i.lab.test A"; done
} | shuf --random-source=<(yes) > "$WORK/queries.txt"

echo "building dns-server (Release)..."
dotnet build -c Release -nologo -v q src/Dns.Server -o "$WORK/dns-server" >/dev/null

wait_ready() { # port
  for _ in $(seq 1 100); do
    if dig +short +time=1 +tries=1 @127.0.0.1 -p "$1" ns1.lab.test A 2>/dev/null | grep -q 192.168.10.1; then return 0; fi
    sleep 0.2
  done
  echo "server on port $1 did not answer" >&2; return 1
}

peak_rss_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

run_dnsperf() { # port -> qps
  dnsperf -s 127.0.0.1 -p "$1" -d "$WORK/queries.txt" -l "$SECONDS_PER_RUN" -c 20 -T "$THREADS" -q 200 -S 0 2>&1 \
    | tee "$WORK/dnsperf-$1.log" | awk '/Queries per second/ {print $4}'
}

declare -A QPS RSS LOST
bench() { # name port pid
  wait_ready "$2"
  # Warm up (JIT, caches), then measure.
  dnsperf -s 127.0.0.1 -p "$2" -d "$WORK/queries.txt" -l 2 -c 20 -T "$THREADS" -q 200 >/dev/null 2>&1 || true
  QPS[$1]=$(run_dnsperf "$2")
  LOST[$1]=$(awk '/Queries lost/ {print $3}' "$WORK/dnsperf-$2.log")
  RSS[$1]=$(peak_rss_kib "$3")
  kill "$3"; sleep 1
  printf '%-11s %12s qps   lost %-8s peak RSS %6d MiB\n' "$1" "${QPS[$1]}" "${LOST[$1]}" $(( ${RSS[$1]} / 1024 ))
}

echo "dnsperf: $SECONDS_PER_RUN s per server, $THREADS server threads, dnsperf -c 20 -T $THREADS -q 200, $(wc -l < "$WORK/queries.txt") distinct queries"

# dns-server
PORT=$(free_port)
dotnet "$WORK/dns-server/dns-server.dll" --listen "127.0.0.1:$PORT" --workers "$THREADS" --zone "lab.test=$WORK/lab.test.zone" \
  --log-level Warning > "$WORK/dns-server.log" 2>&1 &
PIDS+=($!); bench dns-server "$PORT" $!

# Knot
PORT=$(free_port)
mkdir -p "$WORK/knot"
cp "$WORK/lab.test.zone" "$WORK/knot/lab.test.zone"
cat > "$WORK/knot/knot.conf" <<KNOT
server:
    rundir: "$WORK/knot"
    listen: 127.0.0.1@$PORT
    udp-workers: $THREADS
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$WORK/knot"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "$WORK/knot"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: lab.test
KNOT
knotd -c "$WORK/knot/knot.conf" > "$WORK/knot.log" 2>&1 &
PIDS+=($!); bench knot "$PORT" $!

# dnsmasq: it does not read master files, so the same hosts become host-record lines; local=/lab.test/ makes it
# answer NXDOMAIN for the rest of the zone instead of forwarding. It has one thread whatever THREADS says.
PORT=$(free_port)
{
  echo "port=$PORT"; echo "listen-address=127.0.0.1"; echo "bind-interfaces"; echo "no-resolv"; echo "no-hosts"
  echo "local=/lab.test/"; echo "cache-size=10000"
  awk '$2=="IN" && $3=="A" {print "host-record=" $1 ".lab.test," $4}' "$WORK/lab.test.zone"
} > "$WORK/dnsmasq.conf"
dnsmasq --keep-in-foreground --conf-file="$WORK/dnsmasq.conf" --pid-file="$WORK/dnsmasq.pid" --user=root > "$WORK/dnsmasq.log" 2>&1 &
PIDS+=($!); bench dnsmasq "$PORT" $!

echo
awk -v ours="${QPS[dns-server]}" -v knot="${QPS[knot]}" -v dm="${QPS[dnsmasq]}" \
    -v rours="${RSS[dns-server]}" -v rknot="${RSS[knot]}" -v rdm="${RSS[dnsmasq]}" 'BEGIN {
  printf "ratio dns-server/knot    qps %.2f   peak RSS %.2f\n", ours / knot, rours / rknot
  printf "ratio dns-server/dnsmasq qps %.2f   peak RSS %.2f\n", ours / dm, rours / rdm
}'
