"""Train the Rasa model once per change of its inputs, and print the model's path.

The model file is named by a hash of everything training reads: config, domain, NLU and story
data, the spaCy pipeline's sources and the custom NLU components. A test run or a start reuses
a model whose inputs have not changed.

Usage: python scripts/train_model.py [--force]
"""

import argparse
import fcntl
import hashlib
import logging
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"
TRAINING_INPUTS = (
    "config.yml",
    "domain",
    "data",
    "components",
    "screening",
    "knowledge_base/towns.yml",
    "scripts/build_spacy_pipeline.py",
    "requirements.lock",
)

logger = logging.getLogger(__name__)


def input_files(root: Path, inputs: Iterable[str]) -> List[Path]:
    """List every file that training reads, in a stable order."""
    files: List[Path] = []
    for name in inputs:
        path = root / name
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
        elif path.is_file():
            files.append(path)
    return files


def training_hash(root: Path = PROJECT_ROOT) -> str:
    """Return a short SHA-256 over the names and contents of the training inputs."""
    digest = hashlib.sha256()
    for path in input_files(root, TRAINING_INPUTS):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    """Return the path of the model trained from the current inputs."""
    return root / "models" / f"council-{training_hash(root)}.tar.gz"


def train(force: bool = False) -> Path:
    """Train the model unless one for the current inputs exists, and return its path.

    A lock file makes a second caller wait for a training already running, instead of
    training the same model twice on the same cores.
    """
    MODELS_DIR.mkdir(exist_ok=True)
    with (MODELS_DIR / ".training.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_locked(force)


def _train_locked(force: bool) -> Path:
    target = model_path()
    if target.exists() and not force:
        logger.info("Model is up to date: %s", target.relative_to(PROJECT_ROOT))
        return target
    subprocess.run([sys.executable, "scripts/generate_content.py", "--check"], cwd=PROJECT_ROOT, check=True)
    logger.info("Training %s; this takes several minutes.", target.relative_to(PROJECT_ROOT))
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain", "--data", "data",
        "--out", str(MODELS_DIR), "--fixed-model-name", target.name[: -len(".tar.gz")],
    ]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True)
    if not target.exists():
        raise FileNotFoundError(f"Training finished but the model was not written to {target}")
    return target


def main() -> None:
    """Parse the arguments, train if needed and print the model path."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    parser = argparse.ArgumentParser(description="Train the Rasa model if its inputs changed.")
    parser.add_argument("--force", action="store_true", help="train even if a model for these inputs exists")
    print(train(force=parser.parse_args().force))


if __name__ == "__main__":
    main()
