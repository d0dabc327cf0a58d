"""Check the content that editors change: service records, training examples, rules and stories.

One command for content editors. It regenerates the service intents and rules (or, with
--check, only reports that they are out of date), validates the knowledge base, checks the
training examples, and runs Rasa's own data validation. It prints each problem with the file
it is in and exits 1 if there is any.

Usage: python scripts/check_content.py [--check] [--skip-rasa]
"""

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from actions.knowledge_base import (  # noqa: E402
    KnowledgeBaseError,
    load_departments,
    load_knowledge_base,
    read_yaml,
    service_record_problems,
)

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
HOLDOUT_FILE = PROJECT_ROOT / "tests" / "nlu" / "holdout.yml"
MIN_EXAMPLES_PER_SERVICE = 10
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def read_examples(path: Path) -> Dict[str, List[str]]:
    """Return the examples of each intent in a Rasa NLU file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: Dict[str, List[str]] = defaultdict(list)
    for block in document.get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples[block["intent"]].append(line[2:].strip())
    return examples


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def check_training_examples(service_keys: List[str]) -> List[str]:
    """Find missing service intents, thin intents, slash-commands and duplicated examples."""
    problems: List[str] = []
    seen: Dict[str, str] = {}
    counts: Dict[str, int] = defaultdict(int)
    for path in sorted(NLU_DIR.rglob("*.yml")):
        for intent, examples in read_examples(path).items():
            counts[intent] += len(examples)
            for example in examples:
                key = normalise(example)
                where = f"{path.relative_to(PROJECT_ROOT)} ({intent})"
                if example.startswith("/"):
                    problems.append(f"{where}: example starts with '/', which Rasa reads as an intent: {example!r}")
                if key in seen and seen[key] != where:
                    problems.append(f"{where}: example also in {seen[key]}: {example!r}")
                seen[key] = where
    for intent in sorted(counts):
        if intent.startswith("service_") and intent[len("service_"):] not in service_keys:
            problems.append(
                f"data/nlu: intent {intent} has training examples but no record "
                f"knowledge_base/services/{intent[len('service_'):]}.yml; add the record or remove the examples"
            )
    for key in service_keys:
        intent = f"service_{key}"
        if counts[intent] < MIN_EXAMPLES_PER_SERVICE:
            problems.append(
                f"data/nlu/services/{key}.yml: {intent} has {counts[intent]} examples; "
                f"write at least {MIN_EXAMPLES_PER_SERVICE} in residents' own words"
            )
    if HOLDOUT_FILE.exists():
        for intent, examples in read_examples(HOLDOUT_FILE).items():
            for example in examples:
                if normalise(example) in seen:
                    problems.append(
                        f"{seen[normalise(example)]}: example is also in the held-out test set, "
                        f"so the test would overrate the model: {example!r}"
                    )
    return problems


def check_service_records() -> List[str]:
    """Check every service record on its own, so one run reports all the problems in all files."""
    try:
        departments = load_departments(PROJECT_ROOT / "knowledge_base" / "contacts.yml")
    except KnowledgeBaseError as error:
        return [str(error)]
    problems: List[str] = []
    for path in sorted((PROJECT_ROOT / "knowledge_base" / "services").glob("*.yml")):
        try:
            record = read_yaml(path)
        except KnowledgeBaseError as error:
            problems.append(str(error))
            continue
        problems += service_record_problems(record, path, departments)
    return problems


def main() -> int:
    """Run every check and print the problems."""
    parser = argparse.ArgumentParser(description="Check service records, training data, rules and stories.")
    parser.add_argument("--check", action="store_true", help="do not rewrite generated files, only report them")
    parser.add_argument("--skip-rasa", action="store_true", help="skip Rasa's own data validation (faster)")
    arguments = parser.parse_args()

    problems: List[str] = []
    generate = [sys.executable, "scripts/generate_content.py"] + (["--check"] if arguments.check else [])
    if subprocess.run(generate, cwd=PROJECT_ROOT).returncode != 0:
        problems.append("Generated files are out of date: run python scripts/generate_content.py")

    problems += check_service_records()
    try:
        knowledge_base = load_knowledge_base(PROJECT_ROOT / "knowledge_base")
    except KnowledgeBaseError as error:
        problems += [line for line in str(error).splitlines() if line not in problems]
        knowledge_base = None
    service_keys = sorted(path.stem for path in (PROJECT_ROOT / "knowledge_base" / "services").glob("*.yml"))
    problems += check_training_examples(service_keys)

    if not arguments.skip_rasa:
        validate = [sys.executable, "-m", "rasa", "data", "validate", "--domain", "domain", "--data", "data",
                    "--config", "config.yml", "--fail-on-warnings"]
        result = subprocess.run(validate, cwd=PROJECT_ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)
            reasons = [line.strip() for line in output.splitlines()
                       if ("UserWarning" in line or "ERROR" in line or "Error" in line) and "Deprecat" not in line]
            problems.append("Rasa data validation failed:\n  " + "\n  ".join(reasons[:20] or output[-3000:].splitlines()))

    for problem in problems:
        print(f"PROBLEM: {problem}")
    if problems:
        print(f"\n{len(problems)} problem(s) found.")
        return 1
    count = len(knowledge_base.services) if knowledge_base else 0
    print(f"Content is valid: {count} services, training data and stories checked.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
