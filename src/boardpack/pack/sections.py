"""The sections of a layout's index page: which are printed, in what order, under what title
and with what introduction. A layout names its sections with neutral titles
(`Layout.sections`); `layouts: {name: {sections: [...]}}` in boardpack.yaml lists the ones a
council wants, in its order and in its words. A section not listed is left out."""

from __future__ import annotations

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


def _section(default: SectionDefault, entry: SectionEntry | None = None, **words) -> Section:
    title = (entry.title if entry and entry.title else None) or default.title.format(**words)
    introduction = entry.introduction if entry and entry.introduction is not None else None
    text = introduction if introduction is not None else default.introduction
    return Section(default.id, title, render_markdown(text) if text else None)


def page_sections(
    pack: PackInput, layout, known: tuple[SectionDefault, ...] = (), **words: str
) -> list[Section]:
    """The sections the layout's index page prints, in order, from `known` (the sections its
    index template can print); a default title's `{title}` is filled from `words` (the
    paper's title)."""
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
