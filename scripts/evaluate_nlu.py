"""Score the trained model on the held-out resident messages in tests/nlu/holdout.yml.

Prints precision, recall and support for each service intent and for the other intents, then
the overall accuracy and how many out-of-scope messages were kept away from service answers.
The held-out messages are never used for training.

Usage: python scripts/evaluate_nlu.py [--model models/council-<hash>.tar.gz] [--test-file FILE]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

from train_model import train  # noqa: E402

# Intents whose prediction keeps the resident away from a service answer.
NON_ANSWER_INTENTS = {"nlu_fallback", "out_of_scope"}


def run_rasa_test(model: Path, test_file: Path, output_dir: Path) -> None:
    """Run `rasa test nlu` on the test file, writing its reports to the output folder."""
    command = [
        sys.executable, "-m", "rasa", "test", "nlu", "--model", str(model), "--nlu", str(test_file),
        "--out", str(output_dir), "--no-plot",
    ]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)


def format_rows(report: Dict[str, Dict], names: List[str]) -> List[str]:
    """Format one line per intent with precision, recall, F1 and support."""
    rows = []
    for name in names:
        scores = report[name]
        rows.append(
            f"{name:45s} {scores['precision']:9.2f} {scores['recall']:7.2f} "
            f"{scores['f1-score']:5.2f} {int(scores['support']):8d}"
        )
    return rows


def fallback_threshold() -> float:
    """Return the FallbackClassifier threshold from config.yml."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


def deployed_outcomes(errors_file: Path, report: Dict[str, Dict]) -> List[str]:
    """Describe the errors as a resident meets them, with the fallback threshold applied.

    `rasa test nlu` scores the classifier's top intent even when FallbackClassifier would
    replace it with nlu_fallback, so a low-confidence guess counts as an error there. In the
    running assistant that message gets the not-sure reply instead.
    """
    threshold = fallback_threshold()
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    confident = [error for error in errors if error["intent_prediction"]["confidence"] >= threshold]
    wrong_service = [error for error in confident if error["intent_prediction"]["name"].startswith("service_")]
    total = int(report["weighted avg"]["support"]) if "weighted avg" in report else 0
    lines = [
        f"Fallback threshold: {threshold}",
        f"Errors: {len(errors)} of {total}; {len(errors) - len(confident)} of them fall below the threshold "
        f"and get the not-sure reply with an offer of a person",
        f"Confident wrong intent: {len(confident)} of {total}; "
        f"wrong service answer: {len(wrong_service)} of {total}",
    ]
    support = int(report.get("out_of_scope", {}).get("support", 0))
    if support:
        to_services = [
            error for error in confident
            if error["intent"] == "out_of_scope" and error["intent_prediction"]["name"] not in NON_ANSWER_INTENTS
        ]
        kept = support - len(to_services)
        lines.append(f"Out of scope: {kept} of {support} got no confident answer ({kept / support:.0%})")
    return lines


def main() -> None:
    """Run the evaluation and print the report."""
    parser = argparse.ArgumentParser(description="Score the model on the held-out resident messages.")
    parser.add_argument("--model", type=Path, help="model file; default: the model for the current inputs")
    parser.add_argument("--test-file", type=Path, default=PROJECT_ROOT / "tests" / "nlu" / "holdout.yml")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "holdout")
    arguments = parser.parse_args()

    model = arguments.model or train()
    run_rasa_test(model, arguments.test_file, arguments.out)
    report = json.loads((arguments.out / "intent_report.json").read_text())

    header = f"{'intent':45s} {'precision':>9s} {'recall':>7s} {'F1':>5s} {'support':>8s}"
    intents = sorted(name for name in report if isinstance(report[name], dict) and "support" in report[name]
                     and name not in ("macro avg", "weighted avg", "micro avg"))
    services = [name for name in intents if name.startswith("service_")]
    others = [name for name in intents if not name.startswith("service_")]
    print(f"Model: {model.name}\nTest file: {arguments.test_file.relative_to(PROJECT_ROOT)}\n")
    print("Services\n" + header)
    print("\n".join(format_rows(report, services)))
    print("\nOther intents\n" + header)
    print("\n".join(format_rows(report, others)))
    print()
    print(f"Accuracy: {report['accuracy']:.3f}")
    for average in ("macro avg", "weighted avg"):
        if average in report:
            scores = report[average]
            print(f"{average}: precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, "
                  f"F1 {scores['f1-score']:.3f}")
    print("\n".join(deployed_outcomes(arguments.out / "intent_errors.json", report)))


if __name__ == "__main__":
    main()
