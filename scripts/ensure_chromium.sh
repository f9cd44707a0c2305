#!/usr/bin/env bash
# Make a Chromium-family browser, a ChromeDriver of the same major version and a CJK font available for the
# browser tests and the PDF. Debian's chromium and chromium-driver (one source package, so the versions
# match) where they can be installed; on a GitHub runner, the Google Chrome and ChromeDriver it ships
# (CHROMEWEBDRIVER), with the fonts installed through sudo, since its user is not root.
set -euo pipefail
# Korean and Chinese quotes need a CJK font, or the screenshots and the PDF show empty boxes.
have_cjk() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=ko | grep -q .; }
have_browser() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; }
have_driver() { command -v chromedriver >/dev/null 2>&1 || [ -x "${CHROMEWEBDRIVER:-/nonexistent}/chromedriver" ]; }
if have_browser && have_driver && have_cjk; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"  # GitHub's runners: passwordless sudo, not root
else
  SUDO="none"
fi
if [ "${SUDO}" = "none" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: a browser, its driver or a CJK font is missing and cannot be installed here (needs root or sudo," >&2
  echo "      and apt-get); the browser tests will be skipped (they fail instead when CI=true)." >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
packages="fonts-noto-cjk fontconfig"
if ! { have_browser && have_driver; }; then
  packages="chromium chromium-driver ${packages}"
fi
echo "Installing ${packages} (first use only)..."
${SUDO} apt-get update -qq >/dev/null
${SUDO} apt-get install -y -qq --no-install-recommends ${packages} >/dev/null
