"""Hypothesis strategies for fuzzing the JSON API: hostile values, and valid bodies with zero or
more fields changed to them, so that fuzzing reaches what an endpoint does with a body it
accepts as well as its error answers."""

from hypothesis import strategies as st

# Any code point, lone surrogates included (Hypothesis leaves them out unless asked).
any_text = st.text(alphabet=st.characters(exclude_categories=[]), max_size=300)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | any_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=6,
)
# What people paste into a text field besides letters: line breaks, tabs, characters that show
# nothing (zero-width, byte order mark, word joiner, soft hyphen) or turn the text around.
AWKWARD = "\r\n\t\u200b\ufeff\u2060\u00ad\u202e\u0301🐶"
_characters = st.characters(exclude_categories=["Cs"], exclude_characters="\x00") | st.sampled_from(AWKWARD)


def word_list(count: int) -> str:
    """`count` different words: as many search terms as a text can hold, cheaply drawn."""
    return " ".join(f"w{number}" for number in range(count))


def texts(*, max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    """Text a form field of `min_size` to `max_size` characters (once stripped) accepts,
    awkward characters included: no lone surrogate (not text) and no NUL (Django refuses it)."""
    drawn = st.text(alphabet=_characters, min_size=min_size, max_size=min(max_size, 300))
    if max_size > 300:
        drawn |= st.integers(1, max_size // 7).map(word_list)
    return drawn.filter(lambda text: len(text.strip()) >= min_size)


def nested(depth: int) -> list:
    value = 1
    for _ in range(depth):
        value = [value]
    return value


hostile_values = st.one_of(
    st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),  # no text where text is expected
    json_values,
    st.integers(1, 500).map(nested),  # deeper than this: tests/videos/test_api_fuzz.py's nesting test
    st.sampled_from(["", " ", "\r\n", "Rex\r\nSet-Cookie: a=b", "\t\v\f", "\u200b\u200b", *AWKWARD]),
    st.integers(100, 3000).map(word_list),  # a huge word list
    any_text,  # lone surrogates too
)


_LEFT_OUT = object()


def mutated(bodies: st.SearchStrategy[dict], fields: list[str], *,
            hostile: st.SearchStrategy = hostile_values) -> st.SearchStrategy[dict]:
    """Bodies from `bodies`: about half as they are, the others with one to three of `fields`
    (or of any name) set to `hostile` values or left out."""
    changes = st.dictionaries(st.sampled_from(fields) | any_text, hostile | st.just(_LEFT_OUT), min_size=1, max_size=3)

    def apply(body: dict, changed: dict) -> dict:
        return {name: value for name, value in (body | changed).items() if value is not _LEFT_OUT}

    return bodies | st.builds(apply, bodies, changes)


def as_form_text(value) -> str:
    """What a Django CharField makes of a JSON value the API accepted: text, stripped (numbers
    as their text; null, booleans and containers as nothing)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return str(value).strip()
