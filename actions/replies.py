"""Build reply texts, buttons and `custom` payloads from knowledge base records.

Replies are plain text: the widget never interprets markup, and links the resident can click
travel separately in the `custom.links` list.
"""

import datetime
from typing import Any, Dict, List, Optional

from actions.knowledge_base import Department, KnowledgeBase, Service

REQUEST_HUMAN_PAYLOAD = "/request_human"
TALK_TO_PERSON_BUTTON = {"title": "Talk to a person", "payload": REQUEST_HUMAN_PAYLOAD}
AUTOMATED_NOTICE = (
    "I'm Shropshire Council's automated assistant, not a person. "
    "You can ask to talk to a person at any time."
)


def format_date(iso_date: str) -> str:
    """Format an ISO date as UK readers write it, for example 4 December 2026."""
    day = datetime.date.fromisoformat(iso_date)
    return f"{day.day} {day.strftime('%B %Y')}"


def service_button(service: Service) -> Dict[str, str]:
    """Return a quick-reply button that asks about a service."""
    return {"title": service.name, "payload": f"/{service.intent}"}


def contact_routes_text(
    department: Department, knowledge_base: KnowledgeBase, service_key: Optional[str] = None
) -> str:
    """Describe the phone, email and web routes for a department.

    A department without its own email address shows the customer services address. Extra
    lines that are for named services are shown only for those services.
    """
    main = knowledge_base.departments["customer_services"]
    lines = [f"Phone: {department.phone_text}", f"Opening hours: {department.hours_text}"]
    if department.email:
        lines.append(f"Email: {department.email}")
    else:
        lines.append(f"Email: {main.email} (customer services)")
    for other in department.other_lines:
        for_services = other.get("services")
        if for_services and service_key not in for_services:
            continue
        if other.get("phone") and other.get("label"):
            lines.append(f"{other['label']}: {other['phone']}")
    lines.append(f"Contact page: {department.contact_page}")
    if department.key != main.key and department.shared_line:
        lines.append("This is the council's main customer service line.")
    return "\n".join(lines)


def service_answer_text(service: Service, knowledge_base: KnowledgeBase) -> str:
    """Write the answer for a service: summary, what to do online, other routes and the source."""
    parts = [service.name, service.summary]
    if service.steps:
        steps = "\n".join(f"- {step.text} {step.url}" for step in service.steps)
        parts.append(f"What you can do online:\n{steps}")
    if service.facts:
        parts.append("Good to know:\n" + "\n".join(f"- {fact}" for fact in service.facts))
    other_routes = "If you prefer not to go online, you can contact " + service.department.name + ":\n"
    other_routes += contact_routes_text(service.department, knowledge_base, service.key)
    if service.in_person:
        other_routes += "\nYou can also get help in person at a Shropshire Local help point."
    parts.append(other_routes)
    parts.append(f"Source: {service.source_url} (checked {format_date(service.last_checked)})")
    return "\n\n".join(parts)


def service_links(service: Service) -> List[Dict[str, str]]:
    """Return the links of a service answer that the widget may make clickable."""
    links = [{"title": step.text, "url": step.url} for step in service.steps]
    links.append({"title": f"Source: {service.name} on the council's website", "url": service.source_url})
    return links


def service_custom(service: Service, kind: str = "service_answer") -> Dict[str, Any]:
    """Return the machine-readable part of a reply built from a service record."""
    return {
        "kind": kind,
        "lgsl": service.lgsl,
        "service_key": service.key,
        "service_name": service.name,
        "source_url": service.source_url,
        "last_checked": service.last_checked,
        "links": service_links(service),
    }


def department_custom(department: Department) -> Dict[str, Any]:
    """Return the machine-readable part of a contact details reply."""
    return {
        "kind": "contact",
        "department": department.key,
        "source_url": department.source_url,
        "links": [{"title": f"Contact {department.name}", "url": department.contact_page}],
    }


def handoff_custom(reason: str, urgent: bool, service_key: Optional[str]) -> Dict[str, Any]:
    """Return the payload that requests a handoff to a person from the gateway."""
    return {"kind": "handoff_request", "reason": reason, "urgent": urgent, "service_key": service_key}
