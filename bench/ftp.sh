#!/usr/bin/env bash
# FTP benchmark: NetLab ftp-server vs vsftpd vs pyftpdlib on loopback, curl as the client, in one run.
#   1. RETR and STOR of a 1 GiB file (MB/s as curl measures it), best of $RUNS runs;
#   2. $SESSIONS concurrent curl sessions doing login + LIST: wall time and the server's peak memory
#      (RSS and PSS summed over the server's whole process tree, sampled every 50 ms; vsftpd forks
#      per session, so PSS is the fair figure).
# All three servers use anonymous login with uploads allowed, their own root and loopback port.
# Usage: bench/ftp.sh [SIZE_MB (1024)] [SESSIONS (200)] [RUNS (3)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
install_packages vsftpd curl python3 python3-pyftpdlib procps

SIZE_MB=${1:-1024}
SESSIONS=${2:-200}
RUNS=${3:-3}
PYTHON=/usr/bin/python3
WORK=$(mktemp -d /tmp/netlab-ftp-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building ftp-server (Release)..."
dotnet publish src/Ftp.Server -c Release -o "$WORK/ftp-server-bin" -v quiet -nologo >/dev/null

echo "creating a ${SIZE_MB} MiB test file..."
head -c "${SIZE_MB}M" /dev/urandom > "$WORK/payload.bin"
# Flush it to disk now: otherwise the first server measured uploads while the kernel writes back this
# gigabyte and is throttled, which favours whichever server comes last.
sync
for server in netlab vsftpd pyftpdlib; do
  mkdir -p "$WORK/$server/root/up"
  ln "$WORK/payload.bin" "$WORK/$server/root/payload.bin"
  for i in $(seq 1 20); do echo "file $i" > "$WORK/$server/root/file$i.txt"; done
done
# vsftpd writes anonymous uploads as the ftp user and refuses a writable chroot root.
chown ftp "$WORK/vsftpd/root/up"
chmod 755 "$WORK/vsftpd/root"
mkdir -p "$WORK/vsftpd/empty"

NETLAB_PORT=$(free_port); VSFTPD_PORT=$(free_port); PYFTPD_PORT=$(free_port)

"$WORK/ftp-server-bin/ftp-server" --root "$WORK/netlab/root" --listen "127.0.0.1:$NETLAB_PORT" --anonymous --write \
  --max-clients 2000 --max-per-ip 2000 > "$WORK/netlab.log" 2>&1 &
PIDS+=($!); NETLAB_PID=$!

cat > "$WORK/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$VSFTPD_PORT
background=NO
anonymous_enable=YES
anon_root=$WORK/vsftpd/root
no_anon_password=YES
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
local_enable=NO
allow_writeable_chroot=YES
secure_chroot_dir=$WORK/vsftpd/empty
pasv_enable=YES
max_clients=0
max_per_ip=0
xferlog_enable=NO
seccomp_sandbox=NO
use_localtime=NO
CONF
vsftpd "$WORK/vsftpd.conf" > "$WORK/vsftpd.log" 2>&1 &
PIDS+=($!); VSFTPD_PID=$!

(cd "$WORK/pyftpdlib/root" && exec "$PYTHON" -m pyftpdlib -i 127.0.0.1 -p "$PYFTPD_PORT" -d "$WORK/pyftpdlib/root" -w) > "$WORK/pyftpdlib.log" 2>&1 &
PIDS+=($!); PYFTPD_PID=$!

wait_listening() {
  for _ in $(seq 1 100); do
    curl -s --max-time 2 "ftp://127.0.0.1:$1/" -o /dev/null && return 0
    sleep 0.2
  done
  echo "server on port $1 did not come up; logs in $WORK" >&2
  exit 1
}
wait_listening "$NETLAB_PORT"; wait_listening "$VSFTPD_PORT"; wait_listening "$PYFTPD_PORT"

# Warm the page cache so every server reads the payload from memory.
cat "$WORK/payload.bin" > /dev/null

best() { sort -g | tail -1; }
mbps() { awk '{printf "%.1f", $1/1e6}'; }

retr_once() { # port -> bytes/s
  curl -s "ftp://127.0.0.1:$1/payload.bin" -o /dev/null -w '%{speed_download}\n'
}
stor_once() { # port dir run -> bytes/s
  sync
  curl -s -T "$WORK/payload.bin" "ftp://127.0.0.1:$1/up/upload$3.bin" -w '%{speed_upload}\n'
  rm -f "$2"/root/up/upload*.bin
}

tree_pids() { # pid -> the pid and all its descendants (one ps call: fast enough to sample often)
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END {
      for (p in parent) {
        q = p
        for (depth = 0; depth < 16 && q != "" && q != 0; depth++) {
          if (q == root) { print p; break }
          q = parent[q]
        }
      }
    }'
}
memory_kib() { # pid -> "rss pss" in KiB summed over the process tree
  local files=()
  for p in $(tree_pids "$1"); do files+=("/proc/$p/smaps_rollup"); done
  awk '/^Rss:/{r+=$2} /^Pss:/{s+=$2} END{print r+0, s+0}' "${files[@]}" 2>/dev/null || echo "0 0"
}
sessions() { # port pid -> "seconds failures peak_rss_kib peak_pss_kib"
  local port=$1 pid=$2
  local peak_file="$WORK/peak.$port"
  echo "0 0" > "$peak_file"
  ( while :; do
      read -r r s < <(memory_kib "$pid")
      read -r pr ps < "$peak_file"
      echo "$(( r > pr ? r : pr )) $(( s > ps ? s : ps ))" > "$peak_file"
      sleep 0.05
    done ) &
  local sampler=$!
  local start end failures=0
  start=$(date +%s.%N)
  local clients=()
  for i in $(seq 1 "$SESSIONS"); do
    curl -s --max-time 60 "ftp://127.0.0.1:$port/" -o /dev/null &
    clients+=($!)
  done
  for c in "${clients[@]}"; do wait "$c" || failures=$((failures + 1)); done
  end=$(date +%s.%N)
  sleep 0.2
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  read -r pr ps < "$peak_file"
  echo "$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.2f", e - s}') $failures $pr $ps"
}

declare -A PORT PID RETR STOR WALL FAIL RSS PSS
PORT[netlab]=$NETLAB_PORT; PID[netlab]=$NETLAB_PID
PORT[vsftpd]=$VSFTPD_PORT; PID[vsftpd]=$VSFTPD_PID
PORT[pyftpdlib]=$PYFTPD_PORT; PID[pyftpdlib]=$PYFTPD_PID
SERVERS=(netlab vsftpd pyftpdlib)

# Round robin, best of $RUNS: the machine's background load changes over time, and taking turns keeps
# that from favouring one server.
for run in $(seq 1 "$RUNS"); do
  echo "transfer run $run of $RUNS..."
  for name in "${SERVERS[@]}"; do
    retr_once "${PORT[$name]}" >> "$WORK/retr.$name"
    stor_once "${PORT[$name]}" "$WORK/$name" "$run" >> "$WORK/stor.$name"
  done
done
for name in "${SERVERS[@]}"; do
  RETR[$name]=$(best < "$WORK/retr.$name" | mbps)
  STOR[$name]=$(best < "$WORK/stor.$name" | mbps)
  echo "sessions against $name..."
  read -r WALL[$name] FAIL[$name] RSS[$name] PSS[$name] < <(sessions "${PORT[$name]}" "${PID[$name]}")
done

ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1/$2; else print "n/a" }'; }
echo
echo "FTP benchmark: ${SIZE_MB} MiB file, best of $RUNS; $SESSIONS concurrent login+LIST sessions; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')"
printf '%-10s %10s %10s %12s %9s %14s %14s\n' server "RETR MB/s" "STOR MB/s" "sessions s" failures "peak RSS MiB" "peak PSS MiB"
for name in netlab vsftpd pyftpdlib; do
  printf '%-10s %10s %10s %12s %9s %14s %14s\n' "$name" "${RETR[$name]}" "${STOR[$name]}" "${WALL[$name]}" "${FAIL[$name]}" \
    "$(awk -v k="${RSS[$name]}" 'BEGIN{printf "%.1f", k/1024}')" "$(awk -v k="${PSS[$name]}" 'BEGIN{printf "%.1f", k/1024}')"
done
echo
echo "ratios netlab/vsftpd: RETR $(ratio "${RETR[netlab]}" "${RETR[vsftpd]}")x, STOR $(ratio "${STOR[netlab]}" "${STOR[vsftpd]}")x," \
  "sessions speed-up $(ratio "${WALL[vsftpd]}" "${WALL[netlab]}")x, peak PSS $(ratio "${PSS[netlab]}" "${PSS[vsftpd]}")x"
echo "ratios netlab/pyftpdlib: RETR $(ratio "${RETR[netlab]}" "${RETR[pyftpdlib]}")x, STOR $(ratio "${STOR[netlab]}" "${STOR[pyftpdlib]}")x," \
  "sessions speed-up $(ratio "${WALL[pyftpdlib]}" "${WALL[netlab]}")x, peak PSS $(ratio "${PSS[netlab]}" "${PSS[pyftpdlib]}")x"
