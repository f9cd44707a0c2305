#!/usr/bin/env bash
# axe-core, the accessibility engine the browser test runs on every page of the report, from npm's registry,
# pinned, into .cache/ (first use only). Nothing is loaded from a network when the test runs.
set -euo pipefail
VERSION="4.14.1"
TARGET=".cache/axe-core-${VERSION}"
if [ -f "${TARGET}/node_modules/axe-core/axe.min.js" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "note: npm not found, so axe-core ${VERSION} cannot be installed; the accessibility test will be" >&2
  echo "      skipped (it fails instead when CI=true)." >&2
  exit 0
fi
echo "Installing axe-core ${VERSION} from npm into ${TARGET} (first use only)..."
mkdir -p "${TARGET}"
npm install --prefix "${TARGET}" --no-audit --no-fund --no-save --silent "axe-core@${VERSION}"
