#!/usr/bin/env bash
# Installs what the tests need (when missing) and runs the whole test suite.
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Dhcp]
# Run as root (or with sudo) so the namespace, raw-frame and interop tests run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh

# Debian packages used by the tests: runtime libraries, the lab, and the reference peers.
install_packages \
  libpcap0.8 libmariadb3 iproute2 procps \
  tcpdump tshark \
  udhcpc isc-dhcp-client dnsmasq-base kea-dhcp4-server \
  dnsutils knot-dnsutils nsd knot unbound nftables \
  curl lftp vsftpd python3 python3-pyftpdlib openssl \
  mariadb-server python3-aiosmtpd

exec dotnet test NetLab.sln --nologo -v q "$@"
