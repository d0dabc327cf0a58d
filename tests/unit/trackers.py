"""Builders for rasa-sdk trackers, so a test names only the parts it cares about."""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker


def user_event(intent: str, text: str = "", confidence: float = 0.9) -> Dict[str, Any]:
    """Return a user event as Rasa stores it."""
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text},
    }


def action_event(name: str) -> Dict[str, Any]:
    """Return an action event as Rasa stores it."""
    return {"event": "action", "name": name}


def make_tracker(
    intent: str,
    text: str = "",
    ranking: Optional[List[Dict[str, Any]]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    earlier_events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
) -> Tracker:
    """Build a tracker whose latest message has the given intent, text, ranking and entities."""
    latest = {
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": ranking if ranking is not None else [{"name": intent, "confidence": 1.0}],
        "entities": entities or [],
        "text": text,
    }
    events = list(earlier_events or []) + [dict(user_event(intent, text), parse_data=latest)]
    return Tracker(
        sender_id="test-conversation",
        slots=dict(slots or {}),
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
