"""Table tests of the fixed screening patterns for safety, a person and a decision."""

import pytest

from screening.patterns import asks_for_decision, asks_for_human, find_safety_risk, looks_like_keyboard_mash


@pytest.mark.parametrize(
    "text, category",
    [
        ("I want to end my life", "self_harm"),
        ("i keep thinking about killing myself", "self_harm"),
        ("everyone would be better off without me", "self_harm"),
        ("honestly I don't see the point in living any more", "self_harm"),
        ("i've taken a load of pills", "self_harm"),
        ("I don't feel safe at home", "domestic_abuse"),
        ("my husband hits me when he's drunk", "domestic_abuse"),
        ("I'm scared to go home tonight", "domestic_abuse"),
        ("the kids next door are left alone all night", "child_at_risk"),
        ("I think my neighbour's child is being abused", "child_at_risk"),
        ("my elderly dad is being neglected at his care home", "adult_at_risk"),
        ("my brother has learning disabilities and the people he lives with are abusing him", "adult_at_risk"),
        ("I have nowhere to sleep tonight", "homeless_tonight"),
        ("we got kicked out today and are sleeping in the car", "homeless_tonight"),
        ("I am in danger", "general"),
    ],
)
def test_safety_pattern_matches_risk(text: str, category: str):
    assert find_safety_risk(text) == category


@pytest.mark.parametrize(
    "text",
    [
        "my bins weren't emptied",
        "the tree is in danger of falling onto the road",
        "there is a massive pothole killing my tyres",
        "i'm dying to know my bin day",
        "how do I report a dead animal on the road",
        "we are being evicted in six weeks",
    ],
)
def test_safety_pattern_ignores_ordinary(text: str):
    assert find_safety_risk(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I want to talk to a real person", True),
        ("can I speak to someone please", True),
        ("human please", True),
        ("put me through to an adviser", True),
        ("can I speak to someone face to face in Ludlow", False),
        ("how do I pay council tax", False),
    ],
)
def test_human_pattern(text: str, expected: bool):
    assert asks_for_human(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("am I eligible for a blue badge", True),
        ("do I qualify for council tax support", True),
        ("will my planning application be approved", True),
        ("do you think ill get housing benefit", True),
        ("will the council approve my extension", True),
        ("how do I apply for a blue badge", False),
        ("when is my bin day", False),
    ],
)
def test_decision_pattern(text: str, expected: bool):
    assert asks_for_decision(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("jjjjjjjjjjjjjjj", True),
        ("xzkqwp", True),
        ("thx", False),
        ("pls help", False),
        ("my bins weren't emptied", False),
        ("bookkeeping", False),
        ("SY3 8HQ", False),
    ],
)
def test_keyboard_mash_pattern(text: str, expected: bool):
    assert looks_like_keyboard_mash(text) is expected
