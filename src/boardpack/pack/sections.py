"""The sections of a layout's index page: which are printed, in what order, under what title
and with what introduction. A layout names its sections with neutral titles
(`Layout.sections`); `layouts: {name: {sections: [...]}}` in boardpack.yaml lists the ones a
council wants, in its order and in its words. A section not listed is left out.

A title or introduction, the layout's or the council's, may name the pack's figures in braces:
`{title}` (the paper's title), `{count}` (the indicators in the pack), `{period}` (the period)
and `{amber_periods}` (how many consecutive Amber periods call an indicator in); any other
braces are left as written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from boardpack.catalogue.models import SectionEntry
from boardpack.errors import BoardpackError, Problem

from .inputs import PackInput
from .markdown import render_markdown


@dataclass(frozen=True)
class SectionDefault:
    """A section a layout can print: its id (also its anchor), title and introduction."""

    id: str
    title: str
    introduction: str | None = None


@dataclass(frozen=True)
class Section:
    """A section as printed: id, title and introduction (safe HTML, or None)."""

    id: str
    title: str
    intro: Markup | None = None


PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, words: dict[str, str]) -> str:
    """`text` with each `{name}` of `words` replaced by its value; other braces left alone."""
    return PLACEHOLDER.sub(lambda m: str(words.get(m.group(1), m.group(0))), text)


def _section(default: SectionDefault, entry: SectionEntry | None = None, **words) -> Section:
    title = fill((entry.title if entry and entry.title else None) or default.title, words)
    introduction = entry.introduction if entry and entry.introduction is not None else None
    text = introduction if introduction is not None else default.introduction
    text = fill(text, words) if text else None
    return Section(default.id, title, render_markdown(text) if text else None)


def page_sections(
    pack: PackInput, layout, known: tuple[SectionDefault, ...] = (), **words: str
) -> list[Section]:
    """The sections the layout's index page prints, in order, from `known` (the sections its
    index template can print); `{title}`, `{count}` and the like in titles and introductions
    are filled from `words`."""
    defaults = {d.id: d for d in known}
    chosen = pack.project.layout_options(layout.name).sections
    if chosen is None:
        return [_section(d, **words) for d in defaults.values()]
    entries = [SectionEntry(id=e) if isinstance(e, str) else e for e in chosen]
    unknown = [e.id for e in entries if e.id not in defaults]
    if unknown:
        raise BoardpackError(
            [
                Problem(
                    file="boardpack.yaml",
                    field=f"layouts: {layout.name}: sections",
                    value=ref,
                    what=f'the {layout.name} layout has no section "{ref}"',
                    fix=f"use one of: {', '.join(defaults)}",
                )
                for ref in unknown
            ]
        )
    return [_section(defaults[e.id], e, **words) for e in entries]
