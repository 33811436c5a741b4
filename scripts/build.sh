#!/usr/bin/env bash
# Builds every NetLab program once into out/bin/ (dhcp-server, dhcp-client, dns-server, dns-client,
# ftp-server, ftp-client, auth-server, auth-client, sniffer), installing the runtime libraries they
# load (libpcap0.8, libmariadb3) and iproute2 when missing.
#
#   scripts/build.sh [--force]     --force rebuilds even when out/bin is newer than the sources
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
install_packages libpcap0.8 libmariadb3 iproute2

programs="Dhcp.Server Dhcp.Client Dns.Server Dns.Client Ftp.Server Ftp.Client Auth.Server Auth.Client Sniffer"
out=out/bin
stamp=$out/.built
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ] \
   && [ -z "$(find src Directory.Build.props Directory.Packages.props -newer "$stamp" -type f -print -quit)" ]; then
  echo "out/bin is up to date."
  exit 0
fi
command -v dotnet >/dev/null || { echo "build.sh: the .NET SDK (dotnet) is not on PATH; install .NET 10 first." >&2; exit 1; }
mkdir -p "$out"
start=$(date +%s)
for project in $programs; do
  printf '  building %-12s\r' "$project"
  dotnet publish "src/$project/$project.csproj" -c Release -o "$out" --nologo -v q -p:UseAppHost=true \
    -p:GenerateDocumentationFile=false >/tmp/netlab-build.$$.log 2>&1 \
    || { cat /tmp/netlab-build.$$.log >&2; rm -f /tmp/netlab-build.$$.log; echo "build.sh: $project failed to build" >&2; exit 1; }
done
rm -f /tmp/netlab-build.$$.log
touch "$stamp"
echo "Built $(echo $programs | wc -w) programs into $out/ in $(( $(date +%s) - start ))s."
