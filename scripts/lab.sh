#!/usr/bin/env bash
# Works with a running lab.
#
#   sudo scripts/lab.sh exec HOST CMD [ARGS...]   run a command on a lab host (server, client1, mitm, br)
#   sudo scripts/lab.sh shell HOST                 an interactive shell on a lab host
#   sudo scripts/lab.sh list                       hosts, namespaces and addresses
#   options before the command: --lab NAME (default netlab)
#
# Each role "in its own terminal": sudo scripts/lab.sh exec server out/bin/dns-server --zone ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/lab.sh"
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --lab) LAB_NAME=${2:?--lab needs a name}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { usage >&2; exit 2; }
need_root
command=$1; shift
case $command in
  exec|shell)
    host=${1:?"lab.sh $command needs a host name (server, client1, mitm, br)"}; shift
    lab_load
    ns=$(lab_ns "$host")
    ip netns list | awk '{print $1}' | grep -qx "$ns" \
      || { echo "lab.sh: no host '$host' in lab '$LAB_NAME' (hosts: br $HOSTS)" >&2; exit 2; }
    if [ "$command" = shell ]; then exec ip netns exec "$ns" "${SHELL:-/bin/bash}"; fi
    [ $# -ge 1 ] || { echo "lab.sh exec $host needs a command to run" >&2; exit 2; }
    exec ip netns exec "$ns" "$@" ;;
  list)
    lab_load
    echo "Lab '$LAB_NAME' on $SUBNET"
    for host in br $HOSTS; do
      ns=$(lab_ns "$host")
      dev=eth0; [ "$host" = br ] && dev=br0
      addr=$(ip -n "$ns" -4 -o addr show dev "$dev" 2>/dev/null | awk '{print $4}' | paste -sd, -)
      printf '  %-8s %-18s %s %s\n' "$host" "$ns" "$dev" "${addr:-(no address)}"
    done ;;
  *) echo "lab.sh: unknown command '$command'" >&2; usage >&2; exit 2 ;;
esac
