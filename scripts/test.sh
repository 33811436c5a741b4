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

# A private MariaDB (own data directory and port, password user) for the auth tests on that backend;
# stopped by PID on exit. Without it those tests skip and say why.
MARIADB_DIR=$(mktemp -d /tmp/netlab-mariadb.XXXXXX)
cleanup_mariadb() { scripts/lib/mariadb.sh stop "$MARIADB_DIR" || true; rm -rf "$MARIADB_DIR"; }
trap cleanup_mariadb EXIT
if NETLAB_TEST_MYSQL=$(scripts/lib/mariadb.sh start "$MARIADB_DIR"); then
  export NETLAB_TEST_MYSQL
else
  echo "warning: could not start a private MariaDB; the MariaDB auth tests will skip" >&2
fi

dotnet test NetLab.sln --nologo -v q "$@"
