#!/usr/bin/env bash
# Run the whole test suite: set up (with Chromium for the browser tests), check the content,
# train the model if its inputs changed, then run pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --browser
.venv/bin/python scripts/check_content.py
.venv/bin/python scripts/train_model.py >/dev/null
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
