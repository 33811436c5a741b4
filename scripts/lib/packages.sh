# Shared by the scripts: install Debian packages that are missing, once, without questions.
# shellcheck shell=bash

install_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      local SUDO=sudo
    else
      echo "Missing Debian packages: ${missing[*]}" >&2
      echo "Install them with: sudo apt-get install ${missing[*]}  (or run this script as root)" >&2
      return 1
    fi
  fi
  echo "Installing: ${missing[*]}"
  local log
  log=$(mktemp)
  if ! { ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
         && ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "Could not install: ${missing[*]} (apt-get output above)." >&2
    return 1
  fi
  rm -f "$log"
}
