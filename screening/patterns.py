"""Regular expressions that recognise messages the classifier must never get wrong.

A resident at risk, a request for a person and a request for a decision are handled by fixed
patterns as well as by the trained classifier, because a missed safety message costs far more
than an extra emergency signpost. The patterns favour recall: a false match shows help routes,
it never hides an answer.
"""

import re
from typing import Optional

# Each risk category maps to the emergency routes listed under the same key in safety.yml.
SAFETY_PATTERNS = {
    "self_harm": re.compile(
        r"\b(kill(ing)?\s+my\s*self|end(ing)?\s+(it\s+all|my\s+(own\s+)?life)|suicid\w*"
        r"|(want|going|wanna)\s+(to\s+)?die|don'?t\s+want\s+to\s+(live|be\s+alive|be\s+here\s+any\s*more)"
        r"|hurt(ing)?\s+my\s*self|harm(ing)?\s+my\s*self|self[-\s]?harm\w*|cut(ting)?\s+my\s*self"
        r"|can'?t\s+go\s+on|overdos\w*|take\s+my\s+(own\s+)?life|no\s+reason\s+to\s+live"
        r"|better\s+off\s+dead|better\s+off\s+without\s+me"
        r"|(no|don'?t\s+see\s+the|what'?s\s+the|there'?s\s+no)\s+point\s+(in\s+)?(living|being\s+alive|going\s+on)"
        r"|(taken|took|swallowed)\s+(a\s+load\s+of|loads\s+of|lots\s+of|too\s+many|all\s+my|a\s+bunch\s+of)\s+"
        r"(pills|tablets|meds|medication|paracetamol))",
        re.IGNORECASE,
    ),
    "domestic_abuse": re.compile(
        r"\b(domestic\s+(abuse|violence)|coercive\s+control"
        r"|(partner|husband|wife|boyfriend|girlfriend|ex|fiance)\s+(\w+\s+){0,3}"
        r"(hits?|hitting|beats?|beating|hurts?|hurting|threaten\w*|abus\w*|strangl\w*|chok\w*|punch\w*|kick\w*)"
        r"|scared\s+to\s+go\s+home|afraid\s+of\s+my\s+(partner|husband|wife|boyfriend|girlfriend|ex)"
        r"|(don'?t|do\s+not)\s+feel\s+safe\s+(at\s+home|in\s+my\s+(own\s+)?home|with\s+my\s+\w+))",
        re.IGNORECASE,
    ),
    "child_at_risk": re.compile(
        r"\b((child|children|kid|kids|baby|toddler|son|daughter|grandchild|niece|nephew|boy|girl)\s+(\w+\s+){0,4}"
        r"(is\s+being|are\s+being|being|gets?|getting)\s+(abused|neglected|hurt|hit|beaten|groomed|exploited)"
        r"|(abus\w*|neglect\w*|beat\w*|hurt\w*|hit\w*)\s+(a|the|my|their|his|her)\s+"
        r"(child|children|kid|kids|baby|son|daughter)"
        r"|child\s+(abuse|neglect|protection|sexual\s+exploitation)|safeguarding\s+concern\w*"
        r"|(child(ren)?|kids?|bab(y|ies))\s+(\w+\s+){0,3}(in\s+danger|not\s+safe|unsafe|(are\s+|is\s+)?left\s+alone))",
        re.IGNORECASE,
    ),
    "adult_at_risk": re.compile(
        r"\b((elderly|vulnerable|old|disabled)\s+(\w+\s+){0,3}(is\s+being|being)\s+(abused|neglected|hurt|exploited|scammed)"
        r"|(abus\w*|neglect\w*)\s+(my\s+)?(elderly|vulnerable|old|disabled)\s+\w+"
        r"|(mum|mom|dad|nan|gran|grandad|grandma|mother|father|neighbour)\s+(\w+\s+){0,3}"
        r"(is\s+being|being)\s+(abused|neglected|hurt|exploited)"
        r"|adult\s+(abuse|safeguarding)"
        r"|(are|is|keep|keeps|have\s+been|has\s+been)\s+(abusing|neglecting|exploiting|hitting|beating|hurting)\s+"
        r"(him|her|them))",
        re.IGNORECASE,
    ),
    "homeless_tonight": re.compile(
        r"\b(nowhere\s+(to|for\s+\w+\s+to)\s+(sleep|stay|go|live)|no\s*where\s+to\s+sleep"
        r"|sleep(ing)?\s+(rough|in\s+(my|the|our)\s+car|on\s+the\s+streets?)|on\s+the\s+streets?\s+tonight"
        r"|homeless\s+(tonight|today|right\s+now|now)|(kicked|thrown|locked|chucked)\s+out\s+(\w+\s+){0,3}(tonight|today)"
        r"|no\s+(roof|bed|home)\s+(\w+\s+){0,2}tonight)",
        re.IGNORECASE,
    ),
    "general": re.compile(
        r"\b((i'?m|i\s+am|we'?re|we\s+are|someone\s+is|they\s+are|he\s+is|she\s+is|my\s+life\s+is)\s+in\s+danger"
        r"|not\s+safe\s+at\s+home|someone\s+(is\s+)?(going\s+to|gonna)\s+hurt"
        r"|being\s+attacked|threatening\s+to\s+kill)",
        re.IGNORECASE,
    ),
}

HUMAN_REQUEST_PATTERN = re.compile(
    r"\b((speak|talk|chat|get\s+through|put\s+me\s+through)\w*\s+(to|with)\s+"
    r"(a\s+|an\s+|some\s+|the\s+)?(real\s+|actual\s+|live\s+|proper\s+)?"
    r"(person|human|someone|somebody|adviser|advisor|agent|operator|staff|member\s+of\s+staff|people)"
    r"|real\s+(person|human)|(human|person|adviser|advisor|agent|operator)\s+please"
    r"|(want|need)\s+(a|an)\s+(human|person|adviser|advisor))\b",
    re.IGNORECASE,
)

# "Speak to someone face to face" asks for in-person help, not for a handoff in the chat.
IN_PERSON_PATTERN = re.compile(
    r"\b(face[\s-]to[\s-]face|in\s+person|at\s+the\s+(desk|counter|office)|come\s+in(to)?|go\s+in(to)?"
    r"|visit|drop[\s-]in|offices?)\b",
    re.IGNORECASE,
)

ELIGIBILITY_PATTERN = re.compile(
    r"\b((do\s+you\s+think|reckon|think)\s+(i'?ll|ill|i\s+will|i\s+would|i'?d|we'?ll|we\s+will)\s+"
    r"(get|qualify|be\s+(eligible|entitled|allowed|approved|accepted))"
    r"|(am\s+i|are\s+we|is\s+(he|she|my\s+\w+)|would\s+i|will\s+i|do\s+i|does\s+(he|she|my\s+\w+)"
    r"|would\s+(we|he|she)|could\s+i)\b.{0,60}\b(eligible|entitled|qualify|qualified"
    r"|be\s+(approved|accepted|granted|successful|allowed|given))"
    r"|\b(i'?m|im)\s+(eligible|entitled)"
    r"|will\s+(the\s+council|you|they)\s+(approve|accept|agree|grant|decide|give\s+me|let\s+me)"
    r"|will\s+my\s+(\w+\s+){0,2}(application|claim|appeal|request)\s+be\s+"
    r"(approved|accepted|successful|granted|refused|rejected)"
    r"|what\s+will\s+(the\s+council|you|they)\s+decide)",
    re.IGNORECASE,
)


REPEATED_CHARACTER = re.compile(r"(\w)\1{5,}")
VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)


def looks_like_keyboard_mash(text: str) -> bool:
    """Return True for text such as "jjjjjjj" or "xzkqwp" that no resident means as words.

    Short forms without vowels such as "thx" or "pls" are under five letters and do not match.
    """
    letters = "".join(character for character in text if character.isalpha())
    if len(letters) < 5:
        return False
    return VOWEL.search(letters) is None or REPEATED_CHARACTER.search(text) is not None


def find_safety_risk(text: str) -> Optional[str]:
    """Return the risk category a message shows, or None when no safety pattern matches."""
    for category, pattern in SAFETY_PATTERNS.items():
        if pattern.search(text):
            return category
    return None


def asks_for_human(text: str) -> bool:
    """Return True when the message asks for a person in the chat, not for in-person help."""
    return HUMAN_REQUEST_PATTERN.search(text) is not None and IN_PERSON_PATTERN.search(text) is None


def asks_for_decision(text: str) -> bool:
    """Return True when the message asks whether the resident qualifies or what will be decided."""
    return ELIGIBILITY_PATTERN.search(text) is not None
