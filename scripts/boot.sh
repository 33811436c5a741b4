#!/usr/bin/env bash
# The client boot chain, run on a client host (for a lab client: sudo scripts/lab.sh exec client1 scripts/boot.sh):
#   1. dhcp-client gets a lease on the interface and applies it (address, route);
#   2. dns-client resolves the FTP server's name with the DNS server the lease gave;
#   3. ftp-client downloads a file from it, then uploads one.
# Each step prints what it did and how long it took; a failed step stops the chain with the reason.
#
#   scripts/boot.sh [--interface eth0] [--name ftp.lab.test] [--file pub/readme.txt]
#                   [--user lab --password lab] [--upload FILE] [--hostname NAME] [--out DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${NETLAB_BIN:-$here/../out/bin}

interface=eth0 name=ftp.lab.test file=pub/readme.txt user=lab password=lab upload="" hostname="" out=""
usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --interface) interface=${2:?--interface needs a name}; shift 2 ;;
    --name) name=${2:?--name needs a host name}; shift 2 ;;
    --file) file=${2:?--file needs a path on the FTP server}; shift 2 ;;
    --user) user=${2:?--user needs a name}; shift 2 ;;
    --password) password=${2:?--password needs a value}; shift 2 ;;
    --upload) upload=${2:?--upload needs a local file}; shift 2 ;;
    --hostname) hostname=${2:?--hostname needs a name}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "boot.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[ -x "$bin/dhcp-client" ] || { echo "boot.sh: $bin/dhcp-client not found; build first with scripts/build.sh" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "boot.sh: configuring $interface needs root; run it with sudo" >&2; exit 1; }
out=${out:-$(mktemp -d /tmp/netlab-boot.XXXXXX)}
mkdir -p "$out"
# In a lab namespace (netlab-client1) the host name is the namespace's last part (client1), so each lab
# client registers its own name with DHCP; elsewhere it is the machine's name.
if [ -z "$hostname" ]; then
  namespace=$(ip netns identify $$ 2>/dev/null || true)
  hostname=${namespace##*-}
  hostname=${hostname:-$(hostname -s 2>/dev/null || echo client)}
fi

if [ -t 1 ]; then bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' dim=$'\e[2m' reset=$'\e[0m'; else bold="" green="" red="" dim="" reset=""; fi
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
step_start() { step_name=$1; step_t0=$(now_ms); printf '%s[%s]%s %s\n' "$bold" "$step_name" "$reset" "$2"; }
step_ok() { printf '  %s✔%s %s %s(%d ms)%s\n' "$green" "$reset" "$1" "$dim" $(( $(now_ms) - step_t0 )) "$reset"; }
step_fail() {
  printf '  %s✘ %s failed:%s %s\n' "$red" "$step_name" "$reset" "$1" >&2
  [ -n "${2:-}" ] && sed 's/^/    /' "$2" >&2
  exit 1
}

# 1. DHCP: obtain and apply a lease; the lease is printed as "name value" lines.
step_start DHCP "dhcp-client on $interface (hostname $hostname)"
if ! "$bin/dhcp-client" "$interface" --once --hostname "$hostname" --lease-file "$out/lease.json" >"$out/dhcp.txt" 2>"$out/dhcp.err"; then
  step_fail "no lease on $interface" "$out/dhcp.err"
fi
field() { awk -v k="$1" '$1==k {print $2; exit}' "$out/dhcp.txt"; }
address=$(field address) dns=$(field dns) domain=$(field domain) router=$(field router)
[ -n "$address" ] || step_fail "dhcp-client printed no address" "$out/dhcp.txt"
step_ok "leased $address (router $router, DNS $dns, domain $domain)"

# 2. DNS: resolve the FTP server with the DNS server from the lease.
[ -n "$dns" ] && [ "$dns" != "-" ] || step_fail "the lease names no DNS server, so $name cannot be resolved"
step_start DNS "resolve $name with $dns"
if ! "$bin/dns-client" "$name" A --server "$dns" --short >"$out/dns.txt" 2>"$out/dns.err"; then
  step_fail "dns-client could not resolve $name" "$out/dns.err"
fi
server_ip=$(grep -E '^[0-9]+(\.[0-9]+){3}$' "$out/dns.txt" | head -n1 || true)
[ -n "$server_ip" ] || step_fail "$name has no A record" "$out/dns.txt"
step_ok "$name is $server_ip"

# 3. FTP: download the file, then upload one (the downloaded file, renamed, unless --upload says otherwise).
step_start FTP "download ftp://$server_ip/$file"
local_file="$out/$(basename "$file")"
url="ftp://$user:$password@$server_ip"
if ! "$bin/ftp-client" "$url/$file" get "$local_file" >"$out/ftp-get.txt" 2>"$out/ftp-get.err"; then
  step_fail "download of $file" "$out/ftp-get.err"
fi
step_ok "downloaded $file ($(stat -c %s "$local_file") bytes) to $local_file"
upload=${upload:-$local_file}
remote_upload="upload/$hostname-$(basename "$upload")"
step_start FTP "upload $upload as $remote_upload"
if ! "$bin/ftp-client" "$url/$remote_upload" put "$upload" >"$out/ftp-put.txt" 2>"$out/ftp-put.err"; then
  step_fail "upload of $upload" "$out/ftp-put.err"
fi
step_ok "uploaded $(stat -c %s "$upload") bytes"
echo "${green}Boot chain complete:${reset} $address via DHCP, $name = $server_ip via DNS, file moved via FTP (details in $out)"
