"""The panel's discussion and agreed actions, recorded on the review page, as the pack's panel
section ("Discussion and actions agreed by the performance assurance panel").

The notes are kept as discussion entries (never changed or deleted); when the Dataset is built
from the Store they join the indicator's panel commentary for the period, after any panel text
imported from the project's commentary files, so a pack as at any time shows the notes
recorded by then.
"""

from __future__ import annotations

from collections import defaultdict

from .records.models import Discussion

#: The commentary section the pack shows the panel's discussion in.
SECTION = "panel"
Kind = Discussion.Kind


def recorded(organisation, as_at=None) -> dict[tuple[str, str], str]:
    """The panel section's Markdown made from the notes, by (indicator, period label)."""
    rows = Discussion.objects.filter(
        period__organisation=organisation, kind__in=(Kind.PANEL, Kind.ACTION)
    )
    if as_at is not None:
        rows = rows.filter(at__lte=as_at)
    notes: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ref, label, kind, text in rows.order_by("at", "id").values_list(
        "indicator", "period__label", "kind", "text"
    ):
        notes[(ref, label)][kind].append(text.strip())
    return {key: markdown(found[Kind.PANEL], found[Kind.ACTION]) for key, found in notes.items()}


def markdown(discussion: list[str], actions: list[str]) -> str:
    """The panel's discussion as paragraphs, then the agreed actions as a list."""
    parts = list(discussion)
    if actions:
        listed = "\n".join("- " + " ".join(action.split()) for action in actions)
        parts.append(f"**Agreed actions**\n\n{listed}")
    return "\n\n".join(parts)


def with_notes(rows: list[tuple], notes: dict[tuple[str, str], str]) -> list[tuple]:
    """Commentary rows (indicator, period, section, markdown) with the notes joined to each
    panel section, and a panel section added where the files had none."""
    if not notes:
        return rows
    joined, left = [], dict(notes)
    for ref, period, section, text in rows:
        extra = left.pop((ref, period), None) if section == SECTION else None
        joined.append((ref, period, section, f"{text}\n\n{extra}" if extra else text))
    joined += [(ref, period, SECTION, text) for (ref, period), text in left.items()]
    return joined
