#!/usr/bin/env bash
# Set up the project if needed, train the model if its inputs changed, then start the Rasa
# server, the action server and the gateway (website, widget and agent desk) on loopback.
# Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
model=$(.venv/bin/python scripts/train_model.py)

export ASSISTANT_MODEL="$model"
export RASA_TOKEN="${RASA_TOKEN:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')}"
export SANIC_HOST=127.0.0.1
export PYTHONUNBUFFERED=1
export PYTHONWARNINGS=ignore TF_CPP_MIN_LOG_LEVEL=2

cat <<TEXT

The assistant is starting. When all three processes report they are ready:
  Website with the chat widget: http://127.0.0.1:${GATEWAY_PORT:-8080}/
  Agent desk:                   http://127.0.0.1:${GATEWAY_PORT:-8080}/desk
  Rasa REST channel:            http://127.0.0.1:5005/webhooks/rest/webhook
Press Ctrl-C to stop.

TEXT
exec .venv/bin/honcho start -f Procfile
