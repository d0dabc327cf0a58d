"""One bot turn: send a resident message to Rasa, store and emit the replies, act on ``custom``."""

from __future__ import annotations

import logging
import time
from typing import Any, Optional

from gateway import texts
from gateway.conversations import add_message, record_offered_buttons, resident_view
from gateway.handoff_flow import begin_handoff
from gateway.models import Conversation, Message
from gateway.rasa_client import RasaUnavailable
from gateway.runtime import Gateway, Outbox

logger = logging.getLogger(__name__)

MAX_BUTTONS = 12
SOURCE_LINK_TITLE = "Read more on the council website"


def _clean_buttons(raw: Any) -> list[dict[str, str]]:
    buttons = []
    for button in raw if isinstance(raw, list) else []:
        if isinstance(button, dict) and isinstance(button.get("title"), str) and isinstance(button.get("payload"), str):
            buttons.append({"title": button["title"], "payload": button["payload"]})
    return buttons[:MAX_BUTTONS]


def _safe_url(value: Any) -> Optional[str]:
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value
    return None


def _links_from_custom(custom: dict[str, Any]) -> list[dict[str, str]]:
    links = []
    source = _safe_url(custom.get("source_url"))
    if source:
        links.append({"title": SOURCE_LINK_TITLE, "url": source})
    seen = {link["url"] for link in links}
    for link in custom.get("links") or []:
        if isinstance(link, dict) and _safe_url(link.get("url")) and isinstance(link.get("title"), str):
            if link["url"] in seen:
                continue
            seen.add(link["url"])
            links.append({"title": link["title"], "url": link["url"]})
    return links


def parse_reply(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split Rasa's reply into displayable messages and ``custom`` payloads.

    Links from ``custom`` entries (``source_url`` or ``links``) go on the last text message before
    them, or on the first one if the custom entry comes first.
    """
    messages: list[dict[str, Any]] = []
    customs: list[dict[str, Any]] = []
    pending_links: list[dict[str, str]] = []
    for entry in entries:
        custom = entry.get("custom")
        if isinstance(custom, dict):
            customs.append(custom)
            links = _links_from_custom(custom)
            if messages:
                messages[-1]["links"].extend(links)
            else:
                pending_links.extend(links)
        text = entry.get("text")
        buttons = _clean_buttons(entry.get("buttons"))
        if (isinstance(text, str) and text.strip()) or buttons:
            messages.append({"text": text if isinstance(text, str) else "", "buttons": buttons, "links": []})
            if pending_links:
                messages[-1]["links"].extend(pending_links)
                pending_links = []
    return messages, customs


def _custom_for_storage(customs: list[dict[str, Any]]) -> Optional[dict[str, Any]]:
    if not customs:
        return None
    if len(customs) == 1:
        return customs[0]
    return {"kind": ",".join(str(c.get("kind")) for c in customs), "entries": customs}


async def send_unavailable(gateway: Gateway, conversation_id: str) -> None:
    """Give the resident the contact routes and a "Talk to a person" button."""
    outbox = Outbox()
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        outbox.system_message(
            session,
            conversation,
            texts.assistant_unavailable(gateway.settings),
            buttons=[{"title": "Talk to a person", "payload": texts.PAYLOAD_HANDOFF}],
            custom={"kind": "assistant_unavailable"},
        )
    await outbox.send(gateway)


async def run_bot_turn(gateway: Gateway, conversation_id: str, resident_message_id: int, rasa_text: str) -> None:
    """Send one resident message to Rasa and deliver the bot's reply.

    If Rasa fails or returns nothing to show, the resident gets the contact routes instead.
    The caller holds the conversation lock.
    """
    await gateway.hub.emit(conversation_id, "typing", {"on": True})
    started = time.monotonic()
    try:
        entries = await gateway.rasa.send(conversation_id, rasa_text)
    except RasaUnavailable as error:
        logger.error(
            "Rasa request failed",
            extra={"conversation_id": conversation_id, "error": str(error)[:200]},
        )
        await gateway.hub.emit(conversation_id, "typing", {"on": False})
        await send_unavailable(gateway, conversation_id)
        return
    duration_ms = int((time.monotonic() - started) * 1000)
    await gateway.hub.emit(conversation_id, "typing", {"on": False})

    messages, customs = parse_reply(entries)
    handoff = next((c for c in customs if c.get("kind") == "handoff_request"), None)
    if not messages and handoff is None:
        logger.error("Rasa reply had nothing to show", extra={"conversation_id": conversation_id})
        await send_unavailable(gateway, conversation_id)
        return

    outbox = Outbox()
    with gateway.database.session() as session:
        conversation = session.get(Conversation, conversation_id)
        custom = _custom_for_storage(customs)
        offered: list[dict[str, str]] = []
        for item in messages:
            stored = add_message(
                session, conversation, "bot", item["text"], buttons=item["buttons"], links=item["links"], custom=custom
            )
            offered.extend(item["buttons"])
            outbox.add(conversation_id, "message", resident_view(stored))
        if not messages:
            add_message(session, conversation, "bot", "", kind="custom", custom=custom)
        record_offered_buttons(conversation, offered)
    await outbox.send(gateway)
    logger.info(
        "bot turn done",
        extra={"conversation_id": conversation_id, "duration_ms": duration_ms, "event": custom.get("kind") if custom else None},
    )

    seen = await gateway.rasa.latest_intent(conversation_id)
    if seen is not None:
        with gateway.database.session() as session:
            message = session.get(Message, resident_message_id)
            if message is not None:
                message.intent = seen.name
                message.confidence = seen.confidence

    if handoff is not None:
        await begin_handoff(
            gateway,
            conversation_id,
            reason=str(handoff.get("reason") or "resident_request"),
            urgent=bool(handoff.get("urgent")),
            service_key=handoff.get("service_key") if isinstance(handoff.get("service_key"), str) else None,
        )
