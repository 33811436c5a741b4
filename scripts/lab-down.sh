#!/usr/bin/env bash
# Removes a lab made by scripts/lab-up.sh: ends the processes still running in its namespaces,
# deletes the namespaces (which removes their veth pairs and the bridge) and the state file.
#
#   sudo scripts/lab-down.sh [--lab NAME]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/lab.sh"
while [ $# -gt 0 ]; do
  case $1 in
    --lab) LAB_NAME=${2:?--lab needs a name}; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lab-down.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
need_root

namespaces=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$LAB_NAME-(br|server|mitm|client[0-9]+)$" || true)
if [ -z "$namespaces" ] && [ ! -f "$(lab_state_file)" ]; then
  echo "No lab named '$LAB_NAME' is up; nothing to remove."
  exit 0
fi
# Processes in the lab's namespaces were started for the lab (servers, clients, sniffer): end them
# by PID, politely first, so none keeps a namespace alive after it is deleted.
pids=""
for ns in $namespaces; do pids="$pids $(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"; done
pids=$(echo $pids)
if [ -n "$pids" ]; then
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 30); do
    alive=""
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  [ -n "${alive:-}" ] && kill -KILL $alive 2>/dev/null || true
fi
for ns in $namespaces; do ip netns delete "$ns"; done
rm -f "$(lab_state_file)"
echo "Lab '$LAB_NAME' removed ($(echo $namespaces | wc -w) namespaces)."
