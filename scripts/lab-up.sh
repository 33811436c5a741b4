#!/usr/bin/env bash
# Builds a virtual lab with network namespaces: a bridge (in its own namespace), a server host,
# N client hosts without addresses, and optionally a man-in-the-middle host.
#
#   sudo scripts/lab-up.sh [--clients N] [--mitm] [--subnet 192.168.10.0/24] [--lab NAME]
#
# Hosts are namespaces named NAME-server, NAME-client1.., NAME-mitm, NAME-br (default NAME: netlab),
# each with eth0 on the bridge br0. Remove everything with scripts/lab-down.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/lab.sh"

clients=1 mitm=0 subnet=192.168.10.0/24
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --clients) clients=${2:?--clients needs a number}; shift 2 ;;
    --mitm) mitm=1; shift ;;
    --subnet) subnet=${2:?--subnet needs a CIDR like 192.168.10.0/24}; shift 2 ;;
    --lab) LAB_NAME=${2:?--lab needs a name}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "lab-up.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $clients =~ ^[0-9]+$ ]] && [ "$clients" -ge 1 ] && [ "$clients" -le 50 ] \
  || { echo "lab-up.sh: --clients must be a number from 1 to 50, not '$clients'" >&2; exit 2; }
[[ $subnet =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)/([0-9]+)$ ]] \
  || { echo "lab-up.sh: --subnet must look like 192.168.10.0/24, not '$subnet'" >&2; exit 2; }
prefix_len=${BASH_REMATCH[5]}
[ "$prefix_len" -ge 8 ] && [ "$prefix_len" -le 29 ] \
  || { echo "lab-up.sh: the subnet prefix must be between /8 and /29 (got /$prefix_len)" >&2; exit 2; }
[[ $LAB_NAME =~ ^[a-z][a-z0-9-]{0,15}$ ]] \
  || { echo "lab-up.sh: --lab must be a short lowercase name (letters, digits, dashes), not '$LAB_NAME'" >&2; exit 2; }
need_root
source "$here/lib/packages.sh"
install_packages iproute2

if lab_exists; then
  echo "A lab named '$LAB_NAME' is already up (namespaces $LAB_NAME-*)." >&2
  lab_flag=""; [ "$LAB_NAME" != netlab ] && lab_flag=" --lab $LAB_NAME"
  echo "Remove it first with: sudo scripts/lab-down.sh$lab_flag   (or pick another name with --lab)" >&2
  exit 1
fi

# Network and first host address of the subnet, computed in shell arithmetic.
IFS=. read -r a b c d <<< "${subnet%/*}"
mask=$(( (0xFFFFFFFF << (32 - prefix_len)) & 0xFFFFFFFF ))
net=$(( ((a << 24) | (b << 16) | (c << 8) | d) & mask ))
ip_of() { local v=$(( net + $1 )); echo "$(( (v >> 24) & 255 )).$(( (v >> 16) & 255 )).$(( (v >> 8) & 255 )).$(( v & 255 ))"; }
server_ip=$(ip_of 1)
mitm_ip=$(ip_of 2)
network=$(ip_of 0)/$prefix_len

mkdir -p "$LAB_STATE_DIR"
hosts="server"
for i in $(seq 1 "$clients"); do hosts="$hosts client$i"; done
[ "$mitm" = 1 ] && hosts="$hosts mitm"

# Record the lab before creating anything, so lab-down.sh can remove a half-built lab too.
cat > "$(lab_state_file)" <<STATE
SUBNET=$network
PREFIX_LEN=$prefix_len
SERVER_IP=$server_ip
MITM_IP=$mitm_ip
HOSTS="$hosts"
STATE

cleanup_on_error() { echo "lab-up.sh: failed; removing what was created" >&2; "$here/lab-down.sh" --lab "$LAB_NAME" >/dev/null 2>&1 || true; }
trap cleanup_on_error ERR

br=$(lab_ns br)
ip netns add "$br"
ip -n "$br" link set lo up
ip -n "$br" link add br0 type bridge
ip -n "$br" link set br0 up

port=0
for host in $hosts; do
  ns=$(lab_ns "$host")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" link add eth0 type veth peer name "p$port" netns "$br"
  ip -n "$br" link set "p$port" master br0
  ip -n "$br" link set "p$port" up
  ip -n "$ns" link set eth0 up
  case $host in
    server) ip -n "$ns" addr add "$server_ip/$prefix_len" dev eth0 ;;
    mitm) ip -n "$ns" addr add "$mitm_ip/$prefix_len" dev eth0 ;;
  esac
  port=$((port + 1))
done
trap - ERR

echo "Lab '$LAB_NAME' is up on $network (bridge br0 in namespace $br):"
for host in $hosts; do
  case $host in
    server) printf '  %-8s %-18s eth0 %s\n' "$host" "$(lab_ns "$host")" "$server_ip/$prefix_len" ;;
    mitm) printf '  %-8s %-18s eth0 %s\n' "$host" "$(lab_ns "$host")" "$mitm_ip/$prefix_len" ;;
    *) printf '  %-8s %-18s eth0 (no address: get one with DHCP)\n' "$host" "$(lab_ns "$host")" ;;
  esac
done
echo "Run a command on a host: sudo scripts/lab.sh exec server ip addr"
