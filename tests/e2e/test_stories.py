"""Run the Rasa test stories in tests/test_stories.yml against the trained model."""

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def test_rasa_test_stories_pass(trained_model: Path, tmp_path: Path):
    command = [
        sys.executable, "-m", "rasa", "test", "core", "--model", str(trained_model),
        "--stories", "tests/test_stories.yml", "--out", str(tmp_path), "--fail-on-prediction-errors",
        "--no-plot",
    ]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)

    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
