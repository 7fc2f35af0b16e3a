"""Page templates compiled once and kept beside the chart store (`writer.TemplateCache`)."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from boardpack.pack.chart_store import ChartStore
from boardpack.pack.writer import TemplateCache

NAME = "page.html"
SOURCE = "{% for n in numbers %}<p>{{ n * 2 }}</p>{% endfor %}"


def template_environment(folder):
    """An environment as the pack's, compiling into `folder`."""
    return Environment(loader=DictLoader({NAME: SOURCE}), bytecode_cache=TemplateCache(folder))


def compiled_files(folder):
    return sorted(path.name for path in folder.glob("*.cache"))


def test_a_template_is_compiled_once_and_read_back(tmp_path):
    folder = tmp_path / "templates"
    first = template_environment(folder).get_template(NAME)
    kept = compiled_files(folder)
    assert kept, "the compiled template was not kept"
    stamp = {path: path.stat().st_mtime_ns for path in folder.glob("*.cache")}
    again = template_environment(folder)
    loaded = []
    original = TemplateCache.load_bytecode

    def spy(self, bucket):
        original(self, bucket)
        loaded.append(bucket.code is not None)

    TemplateCache.load_bytecode = spy
    try:
        second = again.get_template(NAME)
    finally:
        TemplateCache.load_bytecode = original
    assert loaded == [True]
    assert compiled_files(folder) == kept
    assert {path: path.stat().st_mtime_ns for path in folder.glob("*.cache")} == stamp
    assert first.render(numbers=[1, 2]) == second.render(numbers=[1, 2]) == "<p>2</p><p>4</p>"


def test_a_folder_that_cannot_be_written_keeps_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    template = template_environment(blocker / "templates").get_template(NAME)
    assert template.render(numbers=[3]) == "<p>6</p>"


def test_a_damaged_compiled_template_is_compiled_again(tmp_path):
    folder = tmp_path / "templates"
    template_environment(folder).get_template(NAME)
    for path in folder.glob("*.cache"):
        path.write_bytes(b"damaged")
    assert template_environment(folder).get_template(NAME).render(numbers=[1]) == "<p>2</p>"


def test_clearing_the_store_clears_the_compiled_templates(tmp_path):
    store = ChartStore(tmp_path)
    template_environment(tmp_path / "templates").get_template(NAME)
    assert compiled_files(tmp_path / "templates")
    store.clear()
    assert not (tmp_path / "templates").exists()
