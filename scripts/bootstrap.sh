#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the pinned dependencies when they changed.
#   scripts/bootstrap.sh runtime   # what `make run` needs
#   scripts/bootstrap.sh dev       # plus the test tools (`make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-runtime}
case "$kind" in
  runtime) requirements=requirements.txt ;;
  dev) requirements=requirements-dev.txt ;;
  *) echo "usage: $0 [runtime|dev]" >&2; exit 2 ;;
esac

is_python310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

find_python() {
  local candidates=("${RAPPORT_PYTHON:-}" python3.10)
  local root
  for root in "${PYENV_ROOT:-}" "$HOME/.pyenv"; do
    [ -n "$root" ] && candidates+=("$root"/versions/3.10*/bin/python3.10)
  done
  candidates+=(/usr/local/bin/python3.10 /usr/bin/python3.10 python3 python)
  local c path
  for c in "${candidates[@]}"; do
    [ -n "$c" ] || continue
    path=$(command -v "$c" 2>/dev/null) || continue
    if is_python310 "$path"; then echo "$path"; return 0; fi
  done
  return 1
}

if ! is_python310 .venv/bin/python; then
  if ! python=$(find_python); then
    cat >&2 <<'MSG'
error: Rapport needs Python 3.10 (Rasa 3.6 does not run on Python 3.11 or newer),
and none was found. Install it, for example:
  pyenv install 3.10.13          (pyenv; .python-version selects it)
  sudo apt-get install python3.10 python3.10-venv
or point RAPPORT_PYTHON at a python3.10 binary, then run the command again.
MSG
    exit 1
  fi
  echo "==> Creating .venv with $python ($("$python" --version))"
  rm -rf .venv
  "$python" -m venv .venv
fi

digest() { cat requirements.txt "$@" | sha256sum | cut -d' ' -f1; }
up_to_date() { [ -f ".venv/.installed-$1" ] && [ "$(cat ".venv/.installed-$1")" = "$2" ]; }
wanted=$(digest "$requirements")
# The dev set includes the runtime set, so an up-to-date dev install serves both.
if up_to_date "$kind" "$wanted" || { [ "$kind" = runtime ] && up_to_date dev "$(digest requirements-dev.txt)"; }; then
  exit 0
fi
echo "==> Installing dependencies from $requirements (the first time takes a few minutes)"
.venv/bin/python -m pip install --disable-pip-version-check --progress-bar on -r "$requirements" \
  | { grep -v '^Requirement already satisfied' || true; }
echo "$wanted" > ".venv/.installed-$kind"
echo "==> Dependencies installed"
