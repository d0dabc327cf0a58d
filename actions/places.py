"""Resolve a town name or postcode to a known town, and find the nearest help point."""

import math
import re
from typing import List, Optional, Tuple

from actions.knowledge_base import HelpPoint, KnowledgeBase, Town

OUTWARD_CODE = re.compile(r"^\s*([A-Za-z]{1,2}[0-9][0-9A-Za-z]?)")
EARTH_RADIUS_KM = 6371.0


def find_town(knowledge_base: KnowledgeBase, text: str) -> Optional[Town]:
    """Return the town a name refers to, matching names and aliases without case."""
    query = " ".join(text.lower().replace("’", "'").split())
    for town in knowledge_base.towns.values():
        if query == town.name.lower() or query in town.aliases or query == town.key.replace("_", " "):
            return town
    return None


def find_town_in_text(knowledge_base: KnowledgeBase, text: str) -> Optional[Town]:
    """Return the first known town named anywhere in a free-text message."""
    lowered = " " + re.sub(r"[^a-z' ]", " ", text.lower().replace("’", "'")) + " "
    best: Optional[Tuple[int, Town]] = None
    for town in knowledge_base.towns.values():
        for name in [town.name.lower(), *town.aliases]:
            position = lowered.find(f" {name} ")
            if position >= 0 and (best is None or position < best[0]):
                best = (position, town)
    return best[1] if best else None


def town_for_postcode(knowledge_base: KnowledgeBase, postcode: str) -> Optional[Town]:
    """Return the town that mainly covers a postcode's district (its outward code)."""
    compact = postcode.replace(" ", "").upper()
    outward = compact[:-3] if len(compact) >= 5 and compact[-3].isdigit() else compact
    match = OUTWARD_CODE.match(outward)
    if not match:
        return None
    district = match.group(1).upper()
    for town in knowledge_base.towns.values():
        if district in town.postcode_districts:
            return town
    return None


def distance_km(first: Town, second: Town) -> float:
    """Return the great-circle distance between two towns in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (first.lat, first.lon, second.lat, second.lon))
    haversine = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(haversine))


def help_points_for_town(knowledge_base: KnowledgeBase, town: Town, limit: int = 2) -> Tuple[List[HelpPoint], bool]:
    """Return the help points in a town, or the nearest ones when it has none.

    Returns:
        The help points and True when they are in the town itself, False when they are the
        nearest elsewhere.
    """
    local = [point for point in knowledge_base.help_points if point.town == town.key]
    if local:
        return local, True
    by_distance = sorted(
        knowledge_base.help_points,
        key=lambda point: distance_km(town, knowledge_base.towns[point.town]),
    )
    return by_distance[:limit], False
