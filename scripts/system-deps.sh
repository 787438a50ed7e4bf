#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the review UI's browser tests, poppler-utils
# (pdftotext/pdftoppm) for the release PDF checks, fonts with Cyrillic, Pango for WeasyPrint,
# and the PostgreSQL and Redis server binaries: the tests start private instances of their own
# (tests/services.py) and never use a server that happens to run on the machine.
# Installs only what is missing; needs root (or sudo) the first time.
set -euo pipefail
packages=(chromium poppler-utils fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0
          postgresql redis-server)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
