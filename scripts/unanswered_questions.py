"""List the questions the assistant could not answer, for content editors.

Reads the Rasa tracker store and counts the resident messages that ended in the not-sure reply
(intent nlu_fallback or out_of_scope), with the services the classifier thought closest. Email
addresses, phone numbers, full postcodes and long numbers are masked before anything is shown.

Usage:
    python scripts/unanswered_questions.py                      # SQLite store in var/
    python scripts/unanswered_questions.py --db-url postgresql://user@127.0.0.1/rasa --csv out.csv
"""

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import sqlalchemy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa_tracker.db'}"
UNANSWERED_INTENTS = ("nlu_fallback", "out_of_scope")
MASKS = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"(\+44\s?|\b0)(\d[\s-]?){9,10}\b"), "[phone]"),
    (re.compile(r"\b([A-Za-z]{1,2}[0-9][0-9A-Za-z]?)\s?[0-9][A-Za-z]{2}\b"), r"\1 [postcode]"),
    (re.compile(r"\d{5,}"), "[number]"),
)
MAX_TEXT_LENGTH = 200


def mask_personal_data(text: str) -> str:
    """Mask emails, phone numbers, full postcodes and long numbers, and shorten long messages."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT_LENGTH else text[:MAX_TEXT_LENGTH] + "…"


def read_unanswered(db_url: str) -> Tuple[Counter, Dict[str, Counter]]:
    """Count unanswered messages and the services ranked closest for each."""
    engine = sqlalchemy.create_engine(db_url)
    query = sqlalchemy.text(
        "SELECT data FROM events WHERE type_name = 'user' AND intent_name IN :intents"
    ).bindparams(sqlalchemy.bindparam("intents", expanding=True))
    counts: Counter = Counter()
    guesses: Dict[str, Counter] = defaultdict(Counter)
    with engine.connect() as connection:
        for (data,) in connection.execute(query, {"intents": list(UNANSWERED_INTENTS)}):
            event = json.loads(data)
            text = mask_personal_data(event.get("text") or "")
            if not text or text.startswith("/"):
                continue
            counts[text] += 1
            ranking = (event.get("parse_data") or {}).get("intent_ranking") or []
            for entry in ranking:
                if str(entry.get("name", "")).startswith("service_"):
                    guesses[text][entry["name"][len("service_"):]] += 1
                    break
    return counts, guesses


def main() -> int:
    """Print or write the most frequent unanswered questions."""
    parser = argparse.ArgumentParser(description="List questions the assistant could not answer.")
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="SQLAlchemy URL of the Rasa tracker store")
    parser.add_argument("--limit", type=int, default=50, help="number of questions to show")
    parser.add_argument("--csv", type=Path, help="write all questions to this CSV file as well")
    arguments = parser.parse_args()

    try:
        counts, guesses = read_unanswered(arguments.db_url)
    except sqlalchemy.exc.SQLAlchemyError as error:
        print(f"Could not read the tracker store at {arguments.db_url}: {error.__class__.__name__}. "
              "Start the assistant once, or pass --db-url.", file=sys.stderr)
        return 1

    rows: List[Tuple[str, int, str]] = [
        (text, count, ", ".join(key for key, _ in guesses[text].most_common(1)))
        for text, count in counts.most_common()
    ]
    if not rows:
        print("No unanswered questions found.")
    for text, count, closest in rows[: arguments.limit]:
        print(f"{count:5d}  {text}" + (f"  (closest service: {closest})" if closest else ""))
    if arguments.csv:
        with arguments.csv.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["message", "count", "closest_service"])
            writer.writerows(rows)
        print(f"Wrote {len(rows)} questions to {arguments.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
