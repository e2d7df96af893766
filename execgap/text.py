"""Words that pages, messages and the API's schema build from names: the indefinite article."""

from __future__ import annotations

# Words that start with a vowel letter and a consonant sound ("a user"), or the reverse ("an hour").
_CONSONANT_SOUNDS = ("one", "once", "uni", "use", "usi", "usu", "ura", "eu", "ewe")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
# Letters whose names start with a vowel sound, for a noun spelled as letters ("an API token").
_VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")


def with_article(noun: str) -> str:
    """`noun` after "a" or "an", as it is said: "an allocation", "a key result", "a user", "an hour",
    "an API token", "a URL"."""
    word = noun.strip().split(" ", 1)[0]
    if len(word) > 1 and word.isupper():
        vowel_sound = word[0] in _VOWEL_SOUND_LETTERS
    else:
        lower = word.lower()
        vowel_letter = lower[:1] in ("a", "e", "i", "o", "u")
        silent_h = lower.startswith(_SILENT_H)
        vowel_sound = (vowel_letter and not lower.startswith(_CONSONANT_SOUNDS)) or silent_h
    return f"{'an' if vowel_sound else 'a'} {noun}"
