"""Checks of the real knowledge base files and of the loader's validation."""

import shutil
from pathlib import Path

import pytest
import yaml

from actions.knowledge_base import KnowledgeBaseError, load_knowledge_base

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
KNOWLEDGE_BASE_DIR = PROJECT_ROOT / "knowledge_base"
NLU_SERVICES_DIR = PROJECT_ROOT / "data" / "nlu" / "services"

# The most asked-for services, which must always have a record.
REQUIRED_SERVICE_KEYS = {
    "bin_collections", "garden_waste", "recycling_centres", "bulky_waste", "council_tax",
    "council_tax_discounts", "housing_benefit", "council_tax_support", "homelessness", "blue_badge",
    "older_bus_pass", "disabled_bus_pass", "potholes", "street_lights", "fly_tipping", "noise",
    "pest_control", "parking_fines", "parking_permits", "libraries", "planning",
    "building_regulations", "electoral_register", "complaints", "primary_school_places",
    "secondary_school_places", "adult_social_care_assessment",
}
# LGSL codes of the services that GOV.UK's local links list maps to Shropshire Council pages.
SHROPSHIRE_LINKED_LGSL = {
    107, 159, 260, 372, 412, 440, 477, 512, 524, 557, 559, 564, 576, 577, 580, 584, 587, 588, 1116, 1580,
}


@pytest.fixture(scope="module")
def knowledge_base():
    """The project's real knowledge base, loaded and validated."""
    return load_knowledge_base(KNOWLEDGE_BASE_DIR)


@pytest.fixture
def knowledge_base_copy(tmp_path: Path) -> Path:
    """A writable copy of the knowledge base folder, for tests that break a record."""
    target = tmp_path / "knowledge_base"
    shutil.copytree(KNOWLEDGE_BASE_DIR, target)
    return target


def test_knowledge_base_has_40_services(knowledge_base):
    assert len(knowledge_base.services) >= 40


def test_most_asked_services_present(knowledge_base):
    missing = REQUIRED_SERVICE_KEYS - set(knowledge_base.services)
    assert not missing


def test_shropshire_linked_services_present(knowledge_base):
    codes = {service.lgsl for service in knowledge_base.services.values()}
    assert SHROPSHIRE_LINKED_LGSL <= codes


def test_every_service_has_source_and_routes(knowledge_base):
    for service in knowledge_base.services.values():
        assert service.source_url.startswith("https://"), service.key
        assert service.steps, service.key
        assert service.department.phone, service.key
        assert service.department.hours_text, service.key
        assert service.last_checked, service.key


def test_every_service_has_training_data(knowledge_base):
    for key in knowledge_base.services:
        nlu_file = NLU_SERVICES_DIR / f"{key}.yml"
        assert nlu_file.exists(), f"missing training examples: {nlu_file}"
        intents = [block["intent"] for block in yaml.safe_load(nlu_file.read_text())["nlu"] if "intent" in block]
        assert intents == [f"service_{key}"], nlu_file


def test_contacts_live_only_in_directory():
    for path in (KNOWLEDGE_BASE_DIR / "services").glob("*.yml"):
        text = path.read_text()
        assert "0345" not in text, f"{path.name} has a phone number; put it in contacts.yml"


def test_loader_rejects_unknown_department(knowledge_base_copy: Path):
    record_path = knowledge_base_copy / "services" / "potholes.yml"
    record = yaml.safe_load(record_path.read_text())
    record["department"] = "no_such_team"
    record_path.write_text(yaml.safe_dump(record))

    with pytest.raises(KnowledgeBaseError, match="no_such_team"):
        load_knowledge_base(knowledge_base_copy)


def test_loader_rejects_plain_http_link(knowledge_base_copy: Path):
    record_path = knowledge_base_copy / "services" / "potholes.yml"
    record = yaml.safe_load(record_path.read_text())
    record["source_url"] = "http://example.invalid/page"
    record_path.write_text(yaml.safe_dump(record))

    with pytest.raises(KnowledgeBaseError, match="https"):
        load_knowledge_base(knowledge_base_copy)


def test_loader_rejects_duplicate_lgsl(knowledge_base_copy: Path):
    record_path = knowledge_base_copy / "services" / "potholes.yml"
    record = yaml.safe_load(record_path.read_text())
    record["lgsl"] = 524
    record_path.write_text(yaml.safe_dump(record))

    with pytest.raises(KnowledgeBaseError, match="LGSL 524"):
        load_knowledge_base(knowledge_base_copy)


def test_loader_rejects_key_not_matching_file(knowledge_base_copy: Path):
    record_path = knowledge_base_copy / "services" / "potholes.yml"
    record = yaml.safe_load(record_path.read_text())
    record["key"] = "holes"
    record_path.write_text(yaml.safe_dump(record))

    with pytest.raises(KnowledgeBaseError, match="must match the file name"):
        load_knowledge_base(knowledge_base_copy)


def test_loader_reports_invalid_yaml(knowledge_base_copy: Path):
    (knowledge_base_copy / "services" / "potholes.yml").write_text("key: [unclosed\n")

    with pytest.raises(KnowledgeBaseError, match="Invalid YAML"):
        load_knowledge_base(knowledge_base_copy)
