"""Words to search terms: the one normalisation both a video's text and a query go through, so
case, accents and simple plurals do not matter. Knows nothing of Django or AWS."""

import re
import unicodedata

# A DynamoDB key holds at most 2048 bytes; no real word is this long.
MAX_TERM_LENGTH = 40
_WORD = re.compile(r"[^\W_]+")
_SIBILANT_ES = re.compile(r"(ss|sh|ch|x|z)es$")


def terms(*texts: str) -> list[str]:
    """The distinct terms of `texts`, in the order they first appear."""
    seen = {}
    for text in texts:
        for word in _WORD.findall(_fold(text)):
            seen.setdefault(_singular(word)[:MAX_TERM_LENGTH], None)
    return list(seen)


def _fold(text: str) -> str:
    """Lower case without accents: "Éclair" and "eclair" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _singular(word: str) -> str:
    """English plurals the simple way: puppies → puppy, boxes → box, cats → cat (never below
    three letters, and "ss" stays: grass, kiss)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and _SIBILANT_ES.search(word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
