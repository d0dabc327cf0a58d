"""Build the project's English spaCy pipeline from PyPI packages only.

The pipeline is a blank English model with a lookup lemmatiser (from spacy-lookups-data) and an
entity ruler that tags Shropshire towns (TOWN) and UK postcodes (POSTCODE). No model is
downloaded, so it builds on a machine that reaches only PyPI.

Usage: python scripts/build_spacy_pipeline.py [--output build/spacy_en_council]
"""

import argparse
import logging
from pathlib import Path
from typing import Any, Dict, List

import spacy
import yaml

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "spacy_en_council"
TOWNS_FILE = PROJECT_ROOT / "knowledge_base" / "towns.yml"

# A full postcode is tokenised by spaCy's English tokeniser as two tokens ("SY3", "8HQ").
OUTWARD_CODE = r"(?i)^[a-z]{1,2}[0-9][0-9a-z]?$"
INWARD_CODE = r"(?i)^[0-9][a-z]{2}$"
FULL_POSTCODE_NO_SPACE = r"(?i)^[a-z]{1,2}[0-9][0-9a-z]?[0-9][a-z]{2}$"
SHROPSHIRE_AREA_OUTWARD = r"(?i)^(sy|tf|wv|dy)[0-9]{1,2}$"


def load_town_names(towns_file: Path) -> Dict[str, List[str]]:
    """Read each town's key and the names residents use for it."""
    records = yaml.safe_load(towns_file.read_text(encoding="utf-8"))["towns"]
    names: Dict[str, List[str]] = {}
    for key, record in records.items():
        names[key] = [record["name"], *record.get("aliases", [])]
    return names


def build_patterns(nlp: spacy.language.Language, towns: Dict[str, List[str]]) -> List[Dict[str, Any]]:
    """Build entity ruler patterns for town names and postcodes."""
    patterns: List[Dict[str, Any]] = []
    for key, names in towns.items():
        for name in names:
            tokens = [{"LOWER": token.lower_} for token in nlp.make_doc(name)]
            patterns.append({"label": "TOWN", "pattern": tokens, "id": key})
    patterns.append(
        {"label": "POSTCODE", "pattern": [{"TEXT": {"REGEX": OUTWARD_CODE}}, {"TEXT": {"REGEX": INWARD_CODE}}]}
    )
    patterns.append({"label": "POSTCODE", "pattern": [{"TEXT": {"REGEX": FULL_POSTCODE_NO_SPACE}}]})
    patterns.append({"label": "POSTCODE", "pattern": [{"TEXT": {"REGEX": SHROPSHIRE_AREA_OUTWARD}}]})
    return patterns


def build_pipeline(output: Path) -> None:
    """Create, initialise and save the pipeline to the output folder."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    nlp.initialize()
    ruler.add_patterns(build_patterns(nlp, load_town_names(TOWNS_FILE)))
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    logger.info("Saved the spaCy pipeline to %s.", output)


def main() -> None:
    """Parse the arguments and build the pipeline."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="folder to save the pipeline in")
    build_pipeline(parser.parse_args().output)


if __name__ == "__main__":
    main()
