#!/usr/bin/env bash
# Sniffer benchmark (issue 8): one capture of mixed lab traffic, read by sniffer, tcpdump and tshark in one run
# (frames per second, peak memory, ratios), then live capture across a veth pair at rising packet rates,
# counting kernel drops for sniffer and tcpdump. Run as root from the repository root:
#   sudo [RUNS=3] bench/sniffer.sh [FRAMES] [RATES...]   defaults: 1000000 frames; 20000 50000 100000 200000 400000 pps;
#   each file-reading command runs RUNS times and counts with its median
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
install_packages tcpdump tshark time bc iproute2 libpcap0.8

FRAMES=${1:-1000000}
shift || true
RATES=("$@")
[ ${#RATES[@]} -eq 0 ] && RATES=(20000 50000 100000 200000 400000)
SECONDS_PER_RATE=5
WORK=$(mktemp -d /tmp/netlab-sniffer-bench.XXXXXX)
SEND_NS=nl-bsend-$$ CAP_NS=nl-bcap-$$
cleanup() {
  ip netns delete "$SEND_NS" 2>/dev/null || true
  ip netns delete "$CAP_NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building (scripts/build.sh: Release, ReadyToRun)"
scripts/build.sh >/dev/null
SNIFFER="$PWD/out/bin/sniffer"
CAPTURE=$WORK/lab.pcap
dotnet run -c Release bench/sniffer-traffic.cs -- write "$CAPTURE" "$FRAMES"
echo "capture: $FRAMES frames, $(du -h "$CAPTURE" | cut -f1)"

# measure NAME COMMAND...: the median wall time of RUNS runs (a shared VM varies by 10-30 % from run to run) and
# the largest peak RSS (KiB), from GNU time -v, output to /dev/null
RUNS=${RUNS:-3}
measure() {
  local name=$1; shift
  local walls=() rss=0 run
  for run in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" >/dev/null 2>"$WORK/$name.time" || { cat "$WORK/$name.time" >&2; return 1; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/$name.time")")
    rss=$(awk -F': ' -v max="$rss" '/Maximum resident set size/ { print ($2 > max ? $2 : max) }' "$WORK/$name.time")
  done
  local sorted wall
  sorted=$(printf '%s\n' "${walls[@]}" | sort -n | paste -sd' ')
  wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%s %s %s\n' "$name" "$wall" "$rss" >>"$WORK/results"
  printf '%-28s %8.2f s %10.0f frames/s %8.1f MiB   (runs: %s s)\n' "$name" "$wall" "$(echo "$FRAMES / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$sorted"
}
: >"$WORK/results"
echo "== reading $FRAMES frames (output to /dev/null; median of $RUNS runs each)"
measure tcpdump-lines           tcpdump -n -r "$CAPTURE"
measure tcpdump-lines-S         tcpdump -n -S -r "$CAPTURE"
measure sniffer-lines           $SNIFFER --read "$CAPTURE"
measure sniffer-lines-S         $SNIFFER --read "$CAPTURE" -S
measure sniffer-lines+report    $SNIFFER --read "$CAPTURE" --report text
measure tshark-phs              tshark -n -r "$CAPTURE" -q -z io,phs
measure sniffer-report          $SNIFFER --read "$CAPTURE" --quiet --report text
ratio() { awk -v a="$1" -v b="$2" '$1 == a { x = $2 } $1 == b { y = $2 } END { printf "%.2f", y / x }' "$WORK/results"; }
echo "speed ratios (other tool's time / sniffer's time, > 1 means sniffer is faster):"
echo "  lines vs tcpdump -n -r:            $(ratio sniffer-lines tcpdump-lines)"
echo "  lines -S vs tcpdump -n -S -r:      $(ratio sniffer-lines-S tcpdump-lines-S)"
echo "  report vs tshark -q -z io,phs:     $(ratio sniffer-report tshark-phs)"

echo "== live capture across a veth pair, $SECONDS_PER_RATE s per rate (kernel drops)"
ip netns add "$SEND_NS"; ip netns add "$CAP_NS"
ip -n "$SEND_NS" link add eth0 type veth peer name eth0 netns "$CAP_NS"
ip -n "$SEND_NS" link set eth0 up; ip -n "$CAP_NS" link set eth0 up
# Warm the sender's build once so its start-up does not count.
ip netns exec "$SEND_NS" dotnet run -c Release bench/sniffer-traffic.cs -- send eth0 1000 0.1 >/dev/null

# live TOOL RATE: starts the capture in CAP_NS, sends for SECONDS_PER_RATE at RATE, prints sent/captured/dropped
live() {
  local tool=$1 rate=$2 err=$WORK/live-$1-$2.err pid sent
  if [ "$tool" = tcpdump ]; then
    ip netns exec "$CAP_NS" tcpdump -n -B 32768 -i eth0 >/dev/null 2>"$err" &
    pid=$!
    until grep -q "listening on" "$err" 2>/dev/null; do sleep 0.1; done
  else
    ip netns exec "$CAP_NS" $SNIFFER --interface eth0 >/dev/null 2>"$err" &
    pid=$!
    until grep -q "listening on" "$err" 2>/dev/null; do sleep 0.1; done
  fi
  sleep 1
  sent=$(ip netns exec "$SEND_NS" dotnet run -c Release bench/sniffer-traffic.cs -- send eth0 "$rate" "$SECONDS_PER_RATE")
  sleep 1
  # Both print their counters when stopped; background jobs ignore SIGINT, so the sniffer gets SIGTERM.
  if [ "$tool" = tcpdump ]; then kill -INT "$pid"; else kill -TERM "$pid"; fi
  wait "$pid" || true
  local received dropped
  received=$(awk '/packets received by filter/ { print $1 }' "$err")
  dropped=$(awk '/packets dropped by kernel/ { print $1 }' "$err")
  printf '%-8s asked %7d pps  sent %8d (%7.0f pps)  received %8s  dropped by kernel %8s\n' \
    "$tool" "$rate" "$sent" "$(echo "$sent / $SECONDS_PER_RATE" | bc -l)" "$received" "$dropped"
}
for rate in "${RATES[@]}"; do
  live tcpdump "$rate"
  live sniffer "$rate"
done
