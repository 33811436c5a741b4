#!/usr/bin/env bash
# Auth benchmark: registrations/s and logins/s with 16 concurrent clients on SQLite and on MariaDB, next to
# this machine's raw PBKDF2 rate at the same iteration count (the ceiling for logins/s), and PING latency
# percentiles. Results go to stdout; BENCHMARKS.md records a run.
# Usage: bench/auth.sh            (ITERATIONS=600000 USERS=64 CONCURRENCY=16 PINGS=5000 by default)
#        ITERATIONS=100000 USERS=200 bench/auth.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
install_packages libmariadb3 mariadb-server

ITERATIONS=${ITERATIONS:-600000}
USERS=${USERS:-64}
CONCURRENCY=${CONCURRENCY:-16}
PINGS=${PINGS:-5000}

dotnet build src/Auth.Server -c Release -o out/bench-auth -v q --nologo >/dev/null
dotnet build src/Auth.Client -c Release -o out/bench-auth -v q --nologo >/dev/null
SERVER="dotnet out/bench-auth/auth-server.dll"
CLIENT="dotnet out/bench-auth/auth-client.dll"

WORK=$(mktemp -d /tmp/netlab-auth-bench.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  scripts/lib/mariadb.sh stop "$WORK/mariadb" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: PBKDF2 iterations=$ITERATIONS users=$USERS concurrency=$CONCURRENCY pings=$PINGS"
# "N requests, F failed, T s, ..." -> N/T
rate_of() { awk '/ requests, / { printf "%.3f", $1 / $5; exit }'; }

MYSQL_SPEC=$(scripts/lib/mariadb.sh start "$WORK/mariadb")
for backend in sqlite mysql; do
  if [ "$backend" = sqlite ]; then db="sqlite:$WORK/auth.db"; else db="$MYSQL_SPEC"; fi
  port=$(free_port)
  $SERVER --listen "127.0.0.1:$port" --db "$db" --pbkdf2-iterations "$ITERATIONS" --log-level Warning \
    --max-failures-per-address 1000000 >"$WORK/server-$backend.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    $CLIENT --server "127.0.0.1:$port" ping -c 1 -q >/dev/null 2>&1 && break
    sleep 0.2
  done
  echo
  echo "=== $backend: auth-server --pbkdf2-iterations $ITERATIONS ==="
  # The raw rate is measured right before each run: on a shared machine the available CPU drifts.
  raw_line=$($CLIENT hash-rate --iterations "$ITERATIONS" --seconds 10)
  echo "$raw_line"
  raw=$(echo "$raw_line" | awk '{ print $(NF-4) }')
  $CLIENT --server "127.0.0.1:$port" bench --users "$USERS" --concurrency "$CONCURRENCY" | tee "$WORK/bench-$backend.txt"
  logins=$(sed -n '/^--- logins/,$p' "$WORK/bench-$backend.txt" | rate_of)
  awk -v l="$logins" -v r="$raw" 'BEGIN { printf "logins/s %.3f / raw PBKDF2 %.3f = %.2f of the physical limit\n", l, r, l / r }'
  echo "--- PING, 1 connection ---"
  $CLIENT --server "127.0.0.1:$port" ping --count "$PINGS" --concurrency 1 -q | tail -2
  echo "--- PING, 8 connections ---"
  $CLIENT --server "127.0.0.1:$port" ping --count "$PINGS" --concurrency 8 -q | tail -2
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
done
