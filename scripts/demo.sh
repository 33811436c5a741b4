#!/usr/bin/env bash
# NetLab's first command: on a fresh machine it builds everything, creates the virtual lab, starts the
# servers (DHCP, DNS, FTP, auth) on the server host and the sniffer on the bridge, boots a client through
# DHCP, DNS and FTP, registers and logs in a user, measures response times, and prints the sniffer's
# report. The HTML report, the pcap and every log land in a results folder. The lab is removed at the
# end, also when interrupted.
#
#   sudo scripts/demo.sh [--clients N] [--results DIR] [--lab NAME]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$here/lib/lab.sh"

clients=1 results=""
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --clients) clients=${2:?--clients needs a number}; shift 2 ;;
    --results) results=${2:?--results needs a directory}; shift 2 ;;
    --lab) LAB_NAME=${2:?--lab needs a name}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $clients =~ ^[1-9]$ ]] || { echo "demo.sh: --clients must be 1 to 9, not '$clients'" >&2; exit 2; }
need_root
export NETLAB_LAB=$LAB_NAME
results=${results:-$root/results/demo-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$results"
results=$(cd "$results" && pwd)
bin=$root/out/bin

if [ -t 1 ]; then bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' cyan=$'\e[36m' dim=$'\e[2m' reset=$'\e[0m'; else bold="" green="" red="" cyan="" dim="" reset=""; fi
demo_t0=$(date +%s)
section() { printf '\n%s━━ %s%s\n' "$cyan$bold" "$*" "$reset"; }
ok() { printf '  %s✔%s %s\n' "$green" "$reset" "$*"; }
die() { printf '  %s✘ %s%s\n' "$red" "$*" "$reset" >&2; exit 1; }

started_pids=()
lab_created=0
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ ${#started_pids[@]} -gt 0 ]; then
    kill -TERM "${started_pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 50); do
      local alive=0 pid
      for pid in "${started_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.1
    done
    kill -KILL "${started_pids[@]}" 2>/dev/null || true
  fi
  if [ $lab_created = 1 ]; then "$here/lab-down.sh" --lab "$LAB_NAME" >/dev/null 2>&1 || true; fi
  if [ $status -eq 0 ]; then
    printf '\n%sDemo complete in %ss.%s Results: %s\n' "$green$bold" $(( $(date +%s) - demo_t0 )) "$reset" "$results"
  elif [ $status -eq 130 ] || [ $status -eq 143 ]; then
    printf '\n%sDemo interrupted; the lab was removed.%s Partial results: %s\n' "$red$bold" "$reset" "$results" >&2
  else
    printf '\n%sDemo failed (exit %s).%s Logs and partial results: %s\n' "$red$bold" "$status" "$reset" "$results" >&2
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts a program on a lab host in the background, its output in a log; remembers its PID in
# started_pids (for the cleanup) and in last_pid.
start_on() {
  local host=$1 log=$2; shift 2
  ip netns exec "$(lab_ns "$host")" "$@" >"$results/$log" 2>&1 &
  last_pid=$!
  started_pids+=("$last_pid")
}
# Waits up to $2 seconds for a process of ours to end.
wait_exit() {
  local pid=$1
  for _ in $(seq 1 $(( $2 * 10 ))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
# Waits until a TCP or UDP port listens on a lab host, or the program died.
wait_port() {
  local host=$1 proto=$2 port=$3 pid=$4 log=$5
  for _ in $(seq 1 100); do
    ip netns exec "$(lab_ns "$host")" ss -H -ln"${proto:0:1}" "sport = :$port" | grep -q . && return 0
    kill -0 "$pid" 2>/dev/null || { sed 's/^/    /' "$results/$log" >&2; die "$log: the program exited"; }
    sleep 0.1
  done
  sed 's/^/    /' "$results/$log" >&2
  die "nothing listens on $proto port $port on $host after 10s"
}

section "Build"
"$here/build.sh" | sed 's/^/  /'

section "Lab"
lab_exists && die "a lab named '$LAB_NAME' is already up; remove it with: sudo scripts/lab-down.sh --lab $LAB_NAME"
"$here/lab-up.sh" --lab "$LAB_NAME" --clients "$clients" | sed 's/^/  /'
lab_created=1
lab_load
server=$SERVER_IP
net=${server%.*}

section "Servers on the server host ($server)"
mkdir -p "$results/ftp-root/pub" "$results/ftp-root/upload"
cat > "$results/ftp-root/pub/readme.txt" <<TXT
Welcome to the NetLab FTP server.
This file travelled from ftp.lab.test to a client that got its address by DHCP
and found the server by DNS. Generated $(date -u '+%Y-%m-%d %H:%M:%S UTC').
TXT
cat > "$results/lab.test.zone" <<ZONE
\$ORIGIN lab.test.
\$TTL 300
@     IN SOA dns.lab.test. admin.lab.test. ( 1 3600 600 86400 300 )
      IN NS  dns.lab.test.
dns   IN A   $server
ftp   IN A   $server
auth  IN A   $server
www   IN CNAME ftp
ZONE

start_on server dhcp-server.log "$bin/dhcp-server" --interface eth0 \
  --dhcp-range "$net.100" "$net.200" 255.255.255.0 --router "$server" --dns "$server" --domain lab.test \
  --lease-time 10m --lease-file "$results/dhcp-leases.jsonl"
dhcp_pid=$last_pid
wait_port server udp 67 "$dhcp_pid" dhcp-server.log
ok "dhcp-server: pool $net.100-$net.200, router and DNS $server, domain lab.test"

start_on server dns-server.log "$bin/dns-server" --listen "$server:53" --listen 127.0.0.1:53 \
  --zone "lab.test=$results/lab.test.zone" --dhcp-leases "$results/dhcp-leases.jsonl" --domain lab.test
dns_pid=$last_pid
wait_port server udp 53 "$dns_pid" dns-server.log
ok "dns-server: zone lab.test (dns, ftp, auth) and the names of DHCP clients"

start_on server auth-server.log "$bin/auth-server" --listen "$server:12345" \
  --db "sqlite:$results/auth.db" --pbkdf2-iterations 100000
auth_pid=$last_pid
wait_port server tcp 12345 "$auth_pid" auth-server.log
ok "auth-server: port 12345, users in $results/auth.db"

start_on server ftp-server.log "$bin/ftp-server" --root "$results/ftp-root" --listen "$server:21" \
  --user lab:lab --write --pasv-ports 50000-50100 --auth-db "sqlite:$results/auth.db"
ftp_pid=$last_pid
wait_port server tcp 21 "$ftp_pid" ftp-server.log
ok "ftp-server: root $results/ftp-root, user lab, auth-service accounts too"

section "Sniffer on the bridge"
start_on br sniffer.log "$bin/sniffer" --interface br0 --duration 110 --quiet \
  --write "$results/capture.pcap" --trusted-dhcp "$server" --report html --report-file "$results/report.html"
sniffer_pid=$last_pid
sleep 1
kill -0 "$sniffer_pid" 2>/dev/null || { cat "$results/sniffer.log" >&2; die "the sniffer did not start"; }
ok "sniffer: capturing br0 to $results/capture.pcap"

section "Client boot: DHCP → DNS → FTP"
boot_pids=()
for i in $(seq 1 "$clients"); do
  ip netns exec "$(lab_ns "client$i")" "$here/boot.sh" --interface eth0 --hostname "client$i" \
    --name ftp.lab.test --file pub/readme.txt --out "$results/client$i" > "$results/boot-client$i.log" 2>&1 &
  boot_pids+=($!)
done
for i in $(seq 1 "$clients"); do
  if wait "${boot_pids[$((i - 1))]}"; then
    sed 's/^/  /' "$results/boot-client$i.log"
  else
    sed 's/^/  /' "$results/boot-client$i.log" >&2
    die "client$i could not boot"
  fi
done
cmp -s "$results/ftp-root/pub/readme.txt" "$results/client1/readme.txt" \
  || die "the downloaded file differs from the served one"
ok "client1's copy of pub/readme.txt equals the served file byte for byte"
if [ "$clients" -ge 2 ]; then
  peer=$(ip netns exec "$(lab_ns client1)" "$bin/dns-client" client2.lab.test A --server "$server" --short | head -n1)
  [ -n "$peer" ] || die "client1 could not resolve client2.lab.test"
  ok "client1 resolves client2.lab.test to $peer (name learned from DHCP)"
fi

section "Auth service: register, log in, response time"
email="student$RANDOM@lab.test"
auth_ip=$(ip netns exec "$(lab_ns client1)" "$bin/dns-client" auth.lab.test A --server "$server" --short | head -n1)
[ -n "$auth_ip" ] || die "client1 could not resolve auth.lab.test"
ok "auth.lab.test is $auth_ip"
auth() { ip netns exec "$(lab_ns client1)" "$bin/auth-client" --server "$auth_ip:12345" "$@"; }
printf 'correct horse battery\n' | auth register --email "$email" --password-stdin 2>&1 | sed 's/^/  /' \
  || die "registration failed"
printf 'correct horse battery\n' | auth login --email "$email" --password-stdin 2>&1 | sed 's/^/  /' \
  || die "login failed"
auth ping --count 200 --concurrency 4 --quiet 2>&1 | sed 's/^/  /' || die "ping failed"

section "Sniffer report"
# SIGTERM, not SIGINT: a script's background jobs start with SIGINT ignored.
kill -TERM "$sniffer_pid"
wait_exit "$sniffer_pid" 30 || die "the sniffer did not stop within 30s after SIGTERM"
[ -s "$results/capture.pcap" ] || die "the sniffer wrote no capture"
"$bin/sniffer" --read "$results/capture.pcap" --quiet --trusted-dhcp "$server" --report text \
  | tee "$results/report.txt" | sed 's/^/  /'
ok "HTML report: $results/report.html   pcap: $results/capture.pcap (opens in Wireshark/tcpdump)"
