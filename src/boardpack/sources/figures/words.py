"""Published ratings and directions as councils write them ("Getting better", "lg"), read
into Boardpack's words (improving, green) by a file's `published_words:`."""

from __future__ import annotations

from boardpack.catalogue.models import DIRECTIONS, RAG_LABELS, RAGS

#: A field -> Boardpack's words for it, and what they are called in messages.
MEANINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "published_rag": (RAGS, "rating"),
    "published_direction": (DIRECTIONS, "direction"),
}


def _key(word: str) -> str:
    """`Green Amber`, `green_amber` and `green-amber` are one word."""
    return " ".join(word.replace("_", " ").replace("-", " ").lower().split())


def _own_words() -> dict[str, str]:
    """Boardpack's own words as written (green, Green Amber, no change)."""
    own = {_key(word): word for word in (*RAGS, *DIRECTIONS)}
    return own | {_key(label): rag for rag, label in RAG_LABELS.items()}


def _likeliest(text: str, allowed: tuple[str, ...]) -> str:
    """The word a council's own most likely abbreviates (A: amber), for the example."""
    initial = _key(text)[:1]
    return next((word for word in allowed if word.startswith(initial)), allowed[0])


class Words:
    """A file's vocabulary: its words (ignoring case) -> Boardpack's, beside Boardpack's own."""

    def __init__(self, published_words: dict[str, str]):
        self.given = dict(published_words)
        self.meanings = _own_words() | {_key(word): ours for word, ours in published_words.items()}

    def read(self, name: str, text: str) -> tuple[str | None, str | None]:
        """(Boardpack's word, None), or (None, why not) when the word is unknown or means
        something else (a direction in the ratings column)."""
        allowed, what = MEANINGS[name]
        meaning = self.meanings.get(_key(text))
        if meaning in allowed:
            return meaning, None
        if meaning is not None:
            other = "direction" if what == "rating" else "rating"
            return None, f"means {meaning}, a {other}, not a {what}"
        example = f"{text}: {_likeliest(text, allowed)}"
        return None, (
            f"is not a {what} Boardpack knows; say what it means under `published_words:` for "
            f"this file (e.g. {{{example}}}), or write one of {', '.join(allowed)}"
        )
