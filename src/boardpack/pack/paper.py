"""The committee paper around a pack's figures (`paper:` in boardpack.yaml, per layout where
`layouts: {name: {paper: ...}}` says): the cover block, front matter (purpose, introduction,
foreword and sign-off, translation statement) and back matter (recommendations, background
documents, author, appendices), ready for templates. Markdown is rendered safely; what the
project does not give is not printed, except the recommendation a layout's own seed paper had
(`Layout.recommendation`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup

from boardpack.catalogue.models import Paper, Person, SignOff, Translation

from .inputs import PackInput
from .markdown import render_markdown

DEFAULT_COMMITTEE = "Cabinet Committee"
DOCUMENT_LANGUAGE = "en-GB"
DATA_NOTE = (
    "Figures for the current financial year are provisional management information and may be "
    "revised."
)
#: Languages written right to left (primary subtags), and scripts that are.
RIGHT_TO_LEFT = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}
)
RIGHT_TO_LEFT_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"})


def long_date(day: dt.date | None) -> str:
    """ "29 November 2018", as papers date themselves ("" without a date)."""
    return f"{day.day} {day:%B %Y}" if day else ""


def _markdown(text: str | None) -> Markup | None:
    return render_markdown(text) if text and text.strip() else None


@dataclass(frozen=True)
class Statement:
    """A translation statement as printed: its language tag, writing direction, the
    language's name (or None) and the statement as safe HTML."""

    language: str
    direction: str
    name: str | None
    html: Markup


def direction_of(entry: Translation) -> str:
    """The entry's writing direction: as given, else from its language tag."""
    if entry.direction:
        return entry.direction
    subtags = entry.language.lower().split("-")
    rtl = subtags[0] in RIGHT_TO_LEFT or any(tag in RIGHT_TO_LEFT_SCRIPTS for tag in subtags[1:])
    return "rtl" if rtl else "ltr"


def statements(translation: str | list[Translation] | None) -> list[Statement]:
    """The paper's translation statements: a single Markdown text is one in the document's
    own language; a list gives each in its language."""
    if translation is None:
        return []
    if isinstance(translation, str):
        html = _markdown(translation)
        return [Statement(DOCUMENT_LANGUAGE, "ltr", None, html)] if html else []
    return [
        Statement(entry.language, direction_of(entry), entry.name, render_markdown(entry.text))
        for entry in translation
    ]


def translation_text(paper: Paper) -> str | None:
    """The translation statements as plain Markdown, one paragraph each with its language's
    name (for a spreadsheet cell)."""
    if paper.translation is None or isinstance(paper.translation, str):
        return paper.translation
    return "\n\n".join(
        f"{entry.text.strip()} ({entry.name})" if entry.name else entry.text.strip()
        for entry in paper.translation
    )


@dataclass(frozen=True)
class PaperView:
    """A layout's paper, as templates print it."""

    title: str
    organisation: str
    period_label: str
    committee: str | None = None
    meeting: str | None = None
    date: str = ""
    author: Person | None = None
    version: str | None = None
    status: str | None = None
    classification: str | None = None
    purpose: Markup | None = None
    recommendations: Markup | None = None
    introduction: Markup | None = None
    foreword: Markup | None = None
    sign_off: list[SignOff] = field(default_factory=list)
    translation: list[Statement] = field(default_factory=list)
    background_documents: list[Markup] | None = None
    appendices: list[str] = field(default_factory=list)
    discuss: tuple[str, ...] = ()
    data_note: str = DATA_NOTE

    @property
    def signatures(self) -> list[str]:
        """Each signatory as a line: name, role and date where given."""
        return [
            ", ".join(v for v in (who.name, who.role, long_date(who.date)) if v)
            for who in self.sign_off
        ]

    @property
    def cover_rows(self) -> list[tuple[str, str]]:
        """The cover's label and value pairs, those given only."""
        author = self.author
        contact = ", ".join(v for v in (author.phone, author.email) if v) if author else ""
        pairs = [
            ("Committee", self.committee),
            ("Meeting", self.meeting),
            ("Date", self.date),
            ("Period", self.period_label),
            ("Report author", author.name if author else None),
            ("Role", author.role if author else None),
            ("Contact", contact),
            ("Version", self.version),
            ("Status", self.status),
            ("Classification", self.classification),
        ]
        return [(label, value) for label, value in pairs if value]

    @property
    def subject(self) -> str:
        """The document's subject: the paper, the period and who it is for."""
        towards = f" for the {self.committee}" if self.committee else ""
        return f"{self.title}, {self.period_label}{towards}"


def paper_title(pack: PackInput, layout) -> str:
    """The paper's title: `paper.title`, else the layout's title (prefixed by the directorate
    where the layout names its pack after it, as a committee dashboard does)."""
    paper = pack.project.paper_for(layout.name)
    if paper.title:
        return paper.title
    directorate = pack.project.organisation.directorate
    if getattr(layout, "titled_by_directorate", False) and directorate:
        return f"{directorate} {layout.title}"
    return layout.title


def default_recommendation(paper: Paper, layout, title: str) -> str | None:
    """The layout's own recommendation (from its seed paper), worded for this committee."""
    wording = getattr(layout, "recommendation", None)
    if not wording:
        return None
    committee = paper.committee or DEFAULT_COMMITTEE
    return wording.format(committee=committee, title=title)


def paper_recommendations(
    pack: PackInput, layout, narrative_recommendations: str | None = None
) -> str | None:
    """What members are asked to do, as Markdown: `paper.recommendations`, else the
    narrative's `# Recommendations` section, else the layout's own default (or None)."""
    paper = pack.project.paper_for(layout.name)
    return (
        paper.recommendations
        or narrative_recommendations
        or default_recommendation(paper, layout, paper_title(pack, layout))
    )


def paper_view(pack: PackInput, layout, narrative_recommendations: str | None = None) -> PaperView:
    """The layout's paper for this pack, its recommendations from `paper_recommendations`."""
    paper = pack.project.paper_for(layout.name)
    title = paper_title(pack, layout)
    recommendations = paper_recommendations(pack, layout, narrative_recommendations)
    return PaperView(
        title=title,
        organisation=pack.project.organisation.name,
        period_label=pack.period_label,
        committee=paper.committee,
        meeting=paper.meeting,
        date=long_date(paper.date),
        author=paper.author,
        version=paper.version,
        status=paper.status,
        classification=paper.classification,
        purpose=_markdown(paper.purpose),
        recommendations=_markdown(recommendations),
        introduction=_markdown(paper.introduction),
        foreword=_markdown(paper.foreword),
        sign_off=paper.sign_off,
        translation=statements(paper.translation),
        background_documents=None
        if paper.background_documents is None
        else [render_markdown(item) for item in paper.background_documents],
        appendices=list(paper.appendices),
        discuss=tuple(paper.discuss),
        data_note=DATA_NOTE if paper.data_note is None else paper.data_note.strip(),
    )
