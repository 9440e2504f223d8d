import pytest

from search.terms import terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Puppies chasing CATS", ["puppy", "chasing", "cat"]),
        ("Éclair à la crème", ["eclair", "a", "la", "creme"]),
        ("boxes, foxes & kisses!", ["box", "fox", "kiss"]),
        ("grass bus iris cats cat", ["grass", "bus", "iris", "cat"]),
        ("ÑANDÚ", ["nandu"]),
        ("snake_case hyphen-ated", ["snake", "case", "hyphen", "ated"]),
        ("", []),
        ("!!! ...", []),
    ],
)
def test_terms_ignore_case_accents_and_simple_plurals(text, expected):
    assert terms(text) == expected


def test_terms_of_several_texts_are_distinct_in_first_seen_order():
    assert terms("Rex and the ball", "rex", "Balls") == ["rex", "and", "the", "ball"]
