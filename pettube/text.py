"""What counts as text a person can see: a title, a comment or a pet's name made only of
invisible characters (zero-width spaces, joiners, direction marks, other format characters,
blanks such as the Hangul filler) reads as empty on the page, so it is refused as empty is."""

import unicodedata

# Invisible by category: format (Cf), controls (Cc), separators (Z*), marks with nothing to mark.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}
# Letters and symbols that draw nothing (Hangul fillers, Braille blank, Khmer inherent vowels).
_BLANKS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u17b4", "\u17b5"}
# Controls a text field may hold: tab and line breaks.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def visible(text: str) -> bool:
    """Whether `text` shows at least one character."""
    return any(unicodedata.category(character) not in _INVISIBLE_CATEGORIES and character not in _BLANKS
               for character in text)


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a control character other than a tab or a line break (NUL, escape…)."""
    return any(unicodedata.category(character) == "Cc" and character not in _ALLOWED_CONTROLS for character in text)
