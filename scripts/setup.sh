#!/usr/bin/env bash
# Installs what ht-hil needs on a fresh Debian/Ubuntu machine with Node 20+:
# the Debian packages (socat for pty pairs, udev for serial port listing, mbpoll for the Modbus
# interop test, ppp for `chat` in the modem interop test, chromium for the browser tests of the
# cloud's pages and the report, tshark to read back the pcap export) and the npm packages.
# Safe to run again; skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v udevadm >/dev/null 2>&1 || need+=(udev)
command -v mbpoll >/dev/null 2>&1 || need+=(mbpoll)
command -v chat >/dev/null 2>&1 || [ -x /usr/sbin/chat ] || need+=(ppp)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tshark >/dev/null 2>&1 || need+=(tshark)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    echo "setup: installing Debian packages with sudo: ${need[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: please install the Debian packages: ${need[*]} (apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ready (node $(node --version), socat $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/\1/p'))"
