"""The static HTML performance pack: layouts, charts, safe commentary and the site writer."""

from .charts import indicator_chart_svg
from .inputs import PackInput
from .layouts import LAYOUTS, Group, Layout, PackLayout, get_layout, layouts, register_layout
from .markdown import render_markdown
from .render import render_svgs
from .words import DIRECTION_LABELS, RAG_LABELS, direction_badge, rag_badge
from .writer import build_site

__all__ = [
    "DIRECTION_LABELS",
    "LAYOUTS",
    "Group",
    "Layout",
    "PackLayout",
    "PackInput",
    "RAG_LABELS",
    "build_site",
    "direction_badge",
    "get_layout",
    "layouts",
    "indicator_chart_svg",
    "rag_badge",
    "register_layout",
    "render_markdown",
    "render_svgs",
]
