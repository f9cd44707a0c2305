#!/usr/bin/env bash
# Make Chromium and ChromeDriver available for the browser test, from Debian's packages.
set -euo pipefail
# Korean and Chinese quotes need a CJK font, or the screenshots show empty boxes.
have_cjk() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=ko | grep -q .; }
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && have_cjk; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: chromium/chromedriver not found and cannot be installed here (needs root and apt-get);" >&2
  echo "      the browser test will be skipped (it fails instead when CI=true)." >&2
  exit 0
fi
echo "Installing chromium, chromium-driver and fonts-noto-cjk from Debian's packages (first use only)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk fontconfig >/dev/null
