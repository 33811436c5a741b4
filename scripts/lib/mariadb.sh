#!/usr/bin/env bash
# A private MariaDB server for tests and benchmarks: its own data directory, socket, free TCP port on
# 127.0.0.1 and a password-protected user "netlab" (never --skip-grant-tables). Never touches a system
# MariaDB service.
#
# Usage: scripts/lib/mariadb.sh start DIR   creates DIR on first use (mariadb-install-db), starts mariadbd,
#                                           prints the spec mysql://netlab:PASS@127.0.0.1:PORT/netlab
#        scripts/lib/mariadb.sh stop DIR    stops that server by its PID (pid file), waits until it is gone
#        scripts/lib/mariadb.sh pid DIR     prints the server PID
#        scripts/lib/mariadb.sh spec DIR    prints the spec again
# start after stop reuses the data directory, port and password (the outage test relies on it).
set -euo pipefail

die() { echo "mariadb.sh: $*" >&2; exit 1; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

server_pid() {
  [ -s "$DIR/mariadbd.pid" ] || return 1
  local pid; pid=$(cat "$DIR/mariadbd.pid")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

spec() { echo "mysql://netlab:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/netlab"; }

client() { mariadb --no-defaults --protocol=socket --socket="$DIR/mariadbd.sock" -uroot "$@"; }

start() {
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || die "mariadbd not found; install it with: apt-get install mariadb-server"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  if server_pid >/dev/null; then spec; return 0; fi
  local first=0 user_args=()
  if [ "$(id -u)" -eq 0 ]; then user_args=(--user=root); fi
  if [ ! -d "$DIR/data/mysql" ]; then
    first=1
    mariadb-install-db --no-defaults --datadir="$DIR/data" "${user_args[@]}" \
      --auth-root-authentication-method=socket --auth-root-socket-user="$(id -un)" \
      --skip-test-db >"$DIR/install.log" 2>&1 || die "mariadb-install-db failed; see $DIR/install.log"
    free_port >"$DIR/port"
    head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DIR/password"
  fi
  /usr/sbin/mariadbd --no-defaults --datadir="$DIR/data" --socket="$DIR/mariadbd.sock" \
    --port="$(cat "$DIR/port")" --bind-address=127.0.0.1 --pid-file="$DIR/mariadbd.pid" \
    --log-error="$DIR/error.log" --skip-name-resolve --innodb-buffer-pool-size=32M \
    --max-connections=300 "${user_args[@]}" >/dev/null 2>&1 &
  local i
  for i in $(seq 1 300); do
    if client -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    if [ "$i" -eq 300 ]; then die "mariadbd did not start within 30 s; see $DIR/error.log"; fi
    sleep 0.1
  done
  if [ "$first" -eq 1 ]; then
    client <<SQL
CREATE USER 'netlab'@'127.0.0.1' IDENTIFIED BY '$(cat "$DIR/password")';
CREATE USER 'netlab'@'localhost' IDENTIFIED BY '$(cat "$DIR/password")';
GRANT ALL PRIVILEGES ON *.* TO 'netlab'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'netlab'@'localhost';
CREATE DATABASE IF NOT EXISTS netlab CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
SQL
  fi
  spec
}

stop() {
  local pid
  pid=$(server_pid) || return 0
  kill -TERM "$pid"
  local i
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

[ $# -eq 2 ] || die "usage: $0 start|stop|pid|spec DIR"
DIR=$2
case "$1" in
  start) start ;;
  stop) stop ;;
  pid) server_pid || die "no server running in $DIR" ;;
  spec) spec ;;
  *) die "unknown command '$1'; use start, stop, pid or spec" ;;
esac
