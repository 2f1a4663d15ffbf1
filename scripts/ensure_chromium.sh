#!/usr/bin/env bash
# The browser tests drive Debian's chromium through Playwright (executable_path).
# Install it when missing; say clearly what to do when that is not possible.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || { [ -n "${RAPPORT_CHROMIUM:-}" ] && [ -x "${RAPPORT_CHROMIUM}" ]; }; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> Installing chromium for the browser tests (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "==> chromium installed: $(chromium --version 2>/dev/null || echo unknown version)"
  exit 0
fi
cat >&2 <<'MSG'
error: the browser tests need Chromium at /usr/bin/chromium and it is not installed.
Install it (Debian/Ubuntu: sudo apt-get install chromium) or set RAPPORT_CHROMIUM to a
Chromium binary, then run `make test` again.
MSG
exit 1
