#!/usr/bin/env bash
# Prints the firewall rules that open each NetLab role's ports, for ufw and for nftables, and
# applies the nftables rules inside a lab host when asked.
#
#   scripts/firewall.sh [--roles dhcp,dns,ftp,auth] [--pasv-ports 50000-50100] [--auth-port 12345]
#   sudo scripts/firewall.sh --apply HOST [--lab NAME] [...]   load the nftables rules on a lab host
#   sudo scripts/firewall.sh --remove HOST [--lab NAME]        remove them again
#
# Ports: DHCP server 67/udp (clients answer from 68/udp), DNS 53/udp and 53/tcp, FTP control 21/tcp
# plus the passive data range, auth 12345/tcp. The sniffer opens no port.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/lab.sh"

roles=dhcp,dns,ftp,auth pasv=50000-50100 auth_port=12345 apply="" remove=""
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --roles) roles=${2:?--roles needs a list like dhcp,dns}; shift 2 ;;
    --pasv-ports) pasv=${2:?--pasv-ports needs a range like 50000-50100}; shift 2 ;;
    --auth-port) auth_port=${2:?--auth-port needs a port}; shift 2 ;;
    --apply) apply=${2:?--apply needs a lab host name}; shift 2 ;;
    --remove) remove=${2:?--remove needs a lab host name}; shift 2 ;;
    --lab) LAB_NAME=${2:?--lab needs a name}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "firewall.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $pasv =~ ^([0-9]+)-([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ] \
  || { echo "firewall.sh: --pasv-ports must look like 50000-50100, not '$pasv'" >&2; exit 2; }
[[ $auth_port =~ ^[0-9]+$ ]] && [ "$auth_port" -ge 1 ] && [ "$auth_port" -le 65535 ] \
  || { echo "firewall.sh: --auth-port must be a port number, not '$auth_port'" >&2; exit 2; }

# One line per opening: role protocol port(s) comment.
openings() {
  local role
  for role in ${roles//,/ }; do
    case $role in
      dhcp) echo "dhcp udp 67 DHCP server (clients broadcast from port 68)" ;;
      dns) echo "dns udp 53 DNS queries"; echo "dns tcp 53 DNS over TCP (truncated answers, zone transfers)" ;;
      ftp) echo "ftp tcp 21 FTP control connection"; echo "ftp tcp $pasv FTP passive data connections" ;;
      auth) echo "auth tcp $auth_port NetLab auth service" ;;
      *) echo "firewall.sh: unknown role '$role' (roles: dhcp, dns, ftp, auth)" >&2; return 2 ;;
    esac
  done
}

nft_ruleset() {
  echo "table inet netlab {"
  echo "  chain input {"
  echo "    type filter hook input priority 0; policy drop;"
  echo "    ct state established,related accept"
  echo "    iif lo accept"
  echo "    icmp type { echo-request, destination-unreachable, time-exceeded } accept"
  echo "    udp dport 68 accept comment \"DHCP replies to this host's own client\""
  openings | while read -r _ proto port comment; do
    echo "    $proto dport $port accept comment \"$comment\""
  done
  echo "  }"
  echo "}"
}

if [ -n "$apply$remove" ]; then
  need_root
  source "$here/lib/packages.sh"
  install_packages nftables
  lab_load
  host=${apply:-$remove}
  ns=$(lab_ns "$host")
  ip netns list | awk '{print $1}' | grep -qx "$ns" || { echo "firewall.sh: no host '$host' in lab '$LAB_NAME'" >&2; exit 2; }
  ip netns exec "$ns" nft delete table inet netlab 2>/dev/null || true
  if [ -n "$apply" ]; then
    nft_ruleset | ip netns exec "$ns" nft -f -
    echo "nftables rules loaded on $host ($ns):"
    ip netns exec "$ns" nft list table inet netlab
  else
    echo "nftables rules removed from $host ($ns)."
  fi
  exit 0
fi

openings >/dev/null
echo "# ufw (Ubuntu/Debian hosts with ufw enabled):"
openings | while read -r _ proto port comment; do
  echo "sudo ufw allow ${port/-/:}/$proto comment '$comment'"
done
echo
echo "# nftables (save as /etc/nftables.d/netlab.nft or load with: sudo nft -f FILE):"
nft_ruleset
