# Shared by the lab scripts: names and state of a virtual lab.
# shellcheck shell=bash

# A lab is a set of network namespaces named <lab>-<host>: <lab>-br holds the bridge br0,
# <lab>-server, <lab>-client1..N and optionally <lab>-mitm each have eth0 plugged into it.
LAB_NAME=${NETLAB_LAB:-netlab}
LAB_STATE_DIR=/run/netlab

lab_state_file() { echo "$LAB_STATE_DIR/$LAB_NAME.env"; }

lab_exists() { [ -f "$(lab_state_file)" ] || ip netns list 2>/dev/null | grep -qE "^$LAB_NAME-(br|server)( |$)"; }

# Loads SUBNET, SERVER_IP, PREFIX_LEN, HOSTS from the state file that lab-up.sh wrote.
lab_load() {
  local state
  state=$(lab_state_file)
  if [ ! -f "$state" ]; then
    echo "No lab named '$LAB_NAME' is up. Start one with: sudo scripts/lab-up.sh" >&2
    return 1
  fi
  # shellcheck disable=SC1090
  source "$state"
}

lab_ns() { echo "$LAB_NAME-$1"; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$(basename "$0") needs root to manage network namespaces: run it with sudo." >&2
    exit 1
  fi
}
