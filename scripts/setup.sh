#!/usr/bin/env bash
# Set up the project on a fresh machine: the Python virtual environment from the pinned lock
# file, the spaCy pipeline, the widget's npm packages and, with --browser, Debian's Chromium for
# the browser tests. Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
[[ "${1:-}" == "--browser" ]] && with_browser=1

python_bin="${PYTHON:-python3.11}"
command -v "$python_bin" >/dev/null 2>&1 || python_bin=python3
if ! "$python_bin" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup: Python 3.11 is required; found $("$python_bin" --version 2>&1). Set PYTHON to a 3.11 interpreter." >&2
  exit 1
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating the virtual environment in .venv"
  "$python_bin" -m venv .venv
fi

# rasa 3.6.21 declares Python <3.11, but every pinned package runs on 3.11, so the lock file is
# installed as it is, without resolving dependencies again.
lock_hash=$(sha256sum requirements.lock | cut -c1-16)
if [[ "$(cat .venv/.lock-hash 2>/dev/null || true)" != "$lock_hash" ]]; then
  echo "setup: installing the pinned Python packages (several minutes on a new machine)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --ignore-requires-python --no-deps -r requirements.lock
  echo "$lock_hash" > .venv/.lock-hash
fi

spacy_hash=$(cat scripts/build_spacy_pipeline.py knowledge_base/towns.yml | sha256sum | cut -c1-16)
if [[ "$(cat build/spacy_en_council/.source-hash 2>/dev/null || true)" != "$spacy_hash" ]]; then
  echo "setup: building the spaCy pipeline"
  .venv/bin/python scripts/build_spacy_pipeline.py
  echo "$spacy_hash" > build/spacy_en_council/.source-hash
fi

if [[ -f widget/package-lock.json ]]; then
  if [[ ! -d widget/node_modules ]] || [[ widget/package-lock.json -nt widget/node_modules ]]; then
    command -v npm >/dev/null 2>&1 || { echo "setup: npm is required for the widget; install Node.js 20 and npm." >&2; exit 1; }
    echo "setup: installing the widget's npm packages"
    (cd widget && npm ci --no-audit --no-fund --silent)
    touch widget/node_modules
  fi
fi

if [[ "$with_browser" -eq 1 ]] && [[ ! -x /usr/bin/chromium ]]; then
  echo "setup: installing Debian's Chromium for the browser tests"
  if [[ "$(id -u)" -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  fi
fi

mkdir -p var models
echo "setup: done"
