# Sourced by scripts/dashboard, scripts/a2e and scripts/test: make .venv and install a
# requirements file into it, only when that file changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${A2E_VENV:-$ROOT/.venv}"

# installed REQUIREMENTS: true when that file (and requirements.txt) is installed as it is now.
installed() {
  local stamp="$VENV/.installed-$(basename "$1")"
  local digest
  [ -f "$ROOT/$1" ] && [ -f "$stamp" ] || return 1
  digest="$(cat "$ROOT/requirements.txt" "$ROOT/$1" | sha256sum | cut -d' ' -f1)"
  [ "$(cat "$stamp")" = "$digest" ]
}

ensure_venv() {
  local requirements="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating the virtual environment in $VENV" >&2
    python3 -m venv "$VENV"
  fi
  # requirements-dev.txt includes requirements.txt: a development install serves both.
  if installed "$requirements" || installed requirements-dev.txt; then
    return 0
  fi
  echo "Installing $requirements into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/$requirements"
  cat "$ROOT/requirements.txt" "$ROOT/$requirements" | sha256sum | cut -d' ' -f1 \
    > "$VENV/.installed-$(basename "$requirements")"
}
