"""Load and validate the knowledge base: services, contacts, help points, towns and safety routes.

Every service answer is built from these YAML files, so a service is added by adding data. The
loader checks the files once, when the action server first needs them, and names the file and
field of each problem it finds.
"""

import datetime
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

logger = logging.getLogger(__name__)

DEFAULT_KNOWLEDGE_BASE_DIR = Path(__file__).resolve().parent.parent / "knowledge_base"
KNOWLEDGE_BASE_DIR_ENV = "ASSISTANT_KNOWLEDGE_BASE_DIR"
ALLOWED_URL_PREFIXES = ("https://",)
SERVICE_REQUIRED_FIELDS = (
    "key", "lgsl", "name", "summary", "steps", "department", "source_url", "last_checked",
)


class KnowledgeBaseError(ValueError):
    """A knowledge base file is missing, unreadable or has an invalid field."""


@dataclass(frozen=True)
class Step:
    """One thing a resident can do, with the page where they do it."""

    text: str
    url: str


@dataclass(frozen=True)
class Department:
    """One entry of the central contact directory."""

    key: str
    name: str
    phone: str
    phone_text: str
    email: Optional[str]
    hours_text: str
    contact_page: str
    aliases: List[str]
    source_url: str
    last_checked: str
    shared_line: bool = False
    other_lines: List[Dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Service:
    """One council service record; `key` names the intent `service_<key>`."""

    key: str
    lgsl: Optional[int]
    name: str
    summary: str
    steps: List[Step]
    facts: List[str]
    eligibility: str
    department: Department
    in_person: bool
    source_url: str
    last_checked: str
    keywords: List[str]

    @property
    def intent(self) -> str:
        """Name of the intent that asks about this service."""
        return f"service_{self.key}"


@dataclass(frozen=True)
class Town:
    """A town or village with its location, used to find the nearest help point."""

    key: str
    name: str
    aliases: List[str]
    lat: float
    lon: float
    postcode_districts: List[str]
    council: str


@dataclass(frozen=True)
class HelpPoint:
    """An in-person help point."""

    id: str
    town: str
    venue: str
    days_text: str
    help_with: List[str]
    computers: Optional[bool]
    source_url: str


@dataclass(frozen=True)
class KnowledgeBase:
    """Every record the actions answer from."""

    services: Dict[str, Service]
    departments: Dict[str, Department]
    towns: Dict[str, Town]
    help_points: List[HelpPoint]
    help_points_text: str
    help_points_source_url: str
    safety_routes: Dict[str, List[Dict[str, str]]]
    safety_intro: str

    def service_for_intent(self, intent_name: Optional[str]) -> Optional[Service]:
        """Return the service an intent asks about, or None for any other intent."""
        if not intent_name or not intent_name.startswith("service_"):
            return None
        return self.services.get(intent_name[len("service_"):])

    def service_by_lgsl(self, lgsl: int) -> Optional[Service]:
        """Return the service with this LGSL code, or None."""
        for service in self.services.values():
            if service.lgsl == lgsl:
                return service
        return None


def read_yaml(path: Path) -> Any:
    """Read one YAML file, raising KnowledgeBaseError that names it when it is missing or invalid."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise KnowledgeBaseError(f"Knowledge base file not found: {path}") from error
    except yaml.YAMLError as error:
        raise KnowledgeBaseError(f"Invalid YAML in {path}: {error}") from error


def _as_date_text(value: Any, where: str) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError as error:
        raise KnowledgeBaseError(f"{where}: last_checked must be a date like 2026-12-04, got {value!r}") from error


def _check_url(url: Any, where: str) -> str:
    if not isinstance(url, str) or not url.startswith(ALLOWED_URL_PREFIXES):
        raise KnowledgeBaseError(f"{where}: URL must start with https://, got {url!r}")
    return url


def load_departments(path: Path) -> Dict[str, Department]:
    """Load and validate the central contact directory."""
    data = read_yaml(path) or {}
    departments: Dict[str, Department] = {}
    for key, record in (data.get("departments") or {}).items():
        where = f"{path.name}: department {key!r}"
        for required in ("name", "phone", "hours_text", "contact_page"):
            if not record.get(required):
                raise KnowledgeBaseError(f"{where}: missing field {required!r}")
        departments[key] = Department(
            key=key,
            name=record["name"],
            phone=str(record["phone"]),
            phone_text=str(record.get("phone_text") or record["phone"]),
            email=record.get("email") or None,
            hours_text=" ".join(str(record["hours_text"]).split()),
            contact_page=_check_url(record["contact_page"], where),
            aliases=[str(alias).lower() for alias in record.get("aliases") or []],
            source_url=_check_url(record.get("source_url") or record["contact_page"], where),
            last_checked=_as_date_text(record.get("last_checked", "2026-12-04"), where),
            shared_line=bool(record.get("shared_line", False)),
            other_lines=list(record.get("other_lines") or []),
        )
    if "customer_services" not in departments:
        raise KnowledgeBaseError(f"{path.name}: missing the 'customer_services' department")
    return departments


def service_record_problems(record: Any, path: Path, departments: Dict[str, Department]) -> List[str]:
    """List every problem in one service record, each naming the file and the field."""
    where = f"services/{path.name}"
    if not isinstance(record, dict):
        return [f"{where}: the file must hold one record of fields such as key, name and summary"]
    problems = [
        f"{where}: missing field {required!r}"
        for required in SERVICE_REQUIRED_FIELDS
        if required not in record or record[required] in ("", [], None) and required != "lgsl"
    ]
    if "key" in record and record["key"] != path.stem:
        problems.append(f"{where}: key {record['key']!r} must match the file name {path.stem!r}")
    lgsl = record.get("lgsl")
    if lgsl is not None and (not isinstance(lgsl, int) or isinstance(lgsl, bool) or lgsl <= 0):
        problems.append(f"{where}: lgsl must be a positive integer or null, got {lgsl!r}")
    if record.get("department") and record["department"] not in departments:
        problems.append(
            f"{where}: department {record['department']!r} is not in contacts.yml; use one of {sorted(departments)}"
        )
    # A missing source_url is already reported above, but every step needs a link.
    urls = [("source_url", record["source_url"])] if record.get("source_url") else []
    for index, step in enumerate(record.get("steps") or [], start=1):
        urls.append((f"steps[{index}].url", step.get("url") if isinstance(step, dict) else None))
    for field_name, url in urls:
        try:
            _check_url(url, f"{where}: {field_name}")
        except KnowledgeBaseError as error:
            problems.append(str(error))
    if record.get("last_checked"):
        try:
            checked = _as_date_text(record["last_checked"], where)
            if datetime.date.fromisoformat(checked) > datetime.date.today():
                problems.append(f"{where}: last_checked {checked} is in the future; use the date you checked the source")
        except KnowledgeBaseError as error:
            problems.append(str(error))
    return problems


def _load_service(path: Path, departments: Dict[str, Department]) -> Service:
    record = read_yaml(path) or {}
    where = f"services/{path.name}"
    problems = service_record_problems(record, path, departments)
    if problems:
        raise KnowledgeBaseError("\n".join(problems))
    department = departments[record["department"]]
    lgsl = record["lgsl"]
    steps = [Step(text=" ".join(str(step["text"]).split()), url=step["url"]) for step in record["steps"]]
    return Service(
        key=record["key"],
        lgsl=lgsl,
        name=record["name"],
        summary=" ".join(str(record["summary"]).split()),
        steps=steps,
        facts=[" ".join(str(fact).split()) for fact in record.get("facts") or []],
        eligibility=" ".join(str(record.get("eligibility") or "").split()),
        department=department,
        in_person=bool(record.get("in_person", False)),
        source_url=record["source_url"],
        last_checked=_as_date_text(record["last_checked"], where),
        keywords=[str(word).lower() for word in record.get("keywords") or []],
    )


def _load_towns(path: Path) -> Dict[str, Town]:
    data = read_yaml(path) or {}
    towns = {}
    for key, record in (data.get("towns") or {}).items():
        towns[key] = Town(
            key=key,
            name=record["name"],
            aliases=[str(alias).lower() for alias in record.get("aliases") or []],
            lat=float(record["lat"]),
            lon=float(record["lon"]),
            postcode_districts=[str(code).upper() for code in record.get("postcode_districts") or []],
            council=record.get("council", "shropshire"),
        )
    return towns


def _load_help_points(path: Path, towns: Dict[str, Town]) -> Dict[str, Any]:
    data = read_yaml(path) or {}
    points = []
    for record in data.get("help_points") or []:
        where = f"{path.name}: help point {record.get('id')!r}"
        if record.get("town") not in towns:
            raise KnowledgeBaseError(f"{where}: town {record.get('town')!r} is not in towns.yml")
        points.append(
            HelpPoint(
                id=record["id"],
                town=record["town"],
                venue=record["venue"],
                days_text=" ".join(str(record.get("days_text") or "").split()),
                help_with=list(record.get("help_with") or []),
                computers=record.get("computers"),
                source_url=_check_url(record.get("source_url") or data.get("source_url"), where),
            )
        )
    return {
        "points": points,
        "text": " ".join(str(data.get("help_with_text") or "").split()),
        "source_url": _check_url(data.get("source_url"), path.name),
    }


def _load_safety(path: Path) -> Dict[str, Any]:
    data = read_yaml(path) or {}
    routes = {
        key: value
        for key, value in data.items()
        if isinstance(value, list) and all(isinstance(item, dict) for item in value)
    }
    if "general" not in routes:
        raise KnowledgeBaseError(f"{path.name}: missing the 'general' routes")
    return {"routes": routes, "intro": " ".join(str(data.get("intro_text") or "").split())}


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load every knowledge base file from a folder and validate the cross-references.

    Args:
        directory: folder that holds contacts.yml, towns.yml, help_points.yml, safety.yml and
            services/*.yml.

    Returns:
        The validated knowledge base.

    Raises:
        KnowledgeBaseError: a file is missing or a record is invalid; the message names it.
    """
    departments = load_departments(directory / "contacts.yml")
    service_files = sorted((directory / "services").glob("*.yml"))
    if not service_files:
        raise KnowledgeBaseError(f"No service files found in {directory / 'services'}")
    services = {}
    lgsl_owner: Dict[int, str] = {}
    for path in service_files:
        service = _load_service(path, departments)
        if service.lgsl is not None and service.lgsl in lgsl_owner:
            raise KnowledgeBaseError(
                f"services/{path.name}: LGSL {service.lgsl} is already used by {lgsl_owner[service.lgsl]!r}"
            )
        if service.lgsl is not None:
            lgsl_owner[service.lgsl] = service.key
        services[service.key] = service
    towns = _load_towns(directory / "towns.yml")
    help_points = _load_help_points(directory / "help_points.yml", towns)
    safety = _load_safety(directory / "safety.yml")
    logger.info("Loaded the knowledge base: %d services, %d departments.", len(services), len(departments))
    return KnowledgeBase(
        services=services,
        departments=departments,
        towns=towns,
        help_points=help_points["points"],
        help_points_text=help_points["text"],
        help_points_source_url=help_points["source_url"],
        safety_routes=safety["routes"],
        safety_intro=safety["intro"],
    )


@lru_cache(maxsize=1)
def get_knowledge_base() -> KnowledgeBase:
    """Return the knowledge base from ASSISTANT_KNOWLEDGE_BASE_DIR or the project's folder, loaded once."""
    directory = Path(os.environ.get(KNOWLEDGE_BASE_DIR_ENV) or DEFAULT_KNOWLEDGE_BASE_DIR)
    return load_knowledge_base(directory)
