#!/usr/bin/env bash
# The website widget (rasa-webchat from npm) is served by the handoff service at /demo.
# Install it from handoff/widget/package-lock.json with `npm ci` when it is missing or
# older than the lock file; say clearly what to do when npm is not there.
set -euo pipefail
WIDGET_DIR="$(cd "$(dirname "$0")/.." && pwd)/handoff/widget"
BUNDLE="$WIDGET_DIR/node_modules/rasa-webchat/lib/index.js"
INSTALLED="$WIDGET_DIR/node_modules/.package-lock.json"
if [ -f "$BUNDLE" ] && [ -f "$INSTALLED" ] && [ "$INSTALLED" -nt "$WIDGET_DIR/package-lock.json" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  cat >&2 <<'MSG'
error: the website widget needs npm to install rasa-webchat, and npm is not installed.
Install Node.js with npm (Debian/Ubuntu: sudo apt-get install npm), then run
`bash scripts/ensure_webchat.sh` (or `make run`) again.
MSG
  exit 1
fi
echo "==> Installing the website widget (npm ci in handoff/widget)"
cd "$WIDGET_DIR"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
test -f "$BUNDLE" || { echo "error: npm ci finished but $BUNDLE is missing" >&2; exit 1; }
echo "==> Website widget installed: rasa-webchat $(node -p "require('./node_modules/rasa-webchat/package.json').version" 2>/dev/null || echo '?')"
