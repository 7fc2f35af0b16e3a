"""Read `boardpack.yaml`, keeping the line of every value so each problem names its line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import CatalogueError, Issue
from .messages import explain, where_text
from .models import Project
from .rules import check

#: libyaml's safe loader where PyYAML was built with it (three times faster on a large
#: catalogue; node marks, and so line numbers in messages, are the same), else the pure one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PROJECT_FILE = "boardpack.yaml"


def load_project_file(path: str | Path) -> Project:
    """Load and check a project: the path of its `boardpack.yaml` or of its folder.

    Raises `CatalogueError` listing every problem found, each with file and line.
    """
    file = Path(path)
    if file.is_dir():
        file = file / PROJECT_FILE
    if not file.is_file():
        raise CatalogueError(
            [Issue(str(file), None, "", f"no such file; a project folder holds a {PROJECT_FILE}")]
        )
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogueError(
            [Issue(str(file), None, "", f"not UTF-8 text ({error.reason}); save it as UTF-8")]
        ) from None
    project = load_project_text(text, str(file))
    project._folder = file.parent
    return project


def load_project_text(text: str, file: str = PROJECT_FILE) -> Project:
    """Load and check a project from the text of a `boardpack.yaml`; `file` names it in issues."""
    root = _compose(text, file)
    issues = [Issue(file, line, where, message) for line, where, message in _duplicate_keys(root)]
    data = yaml.SafeLoader("").construct_document(root) if root is not None else None
    if not isinstance(data, dict):
        raise CatalogueError(
            [
                *issues,
                Issue(file, 1, "", "the file must be a mapping that starts with organisation:"),
            ]
        )
    try:
        project = Project.model_validate(data)
    except ValidationError as error:
        raise CatalogueError(_in_order(issues + _pydantic_issues(error, root, file))) from None
    issues += [_issue(file, root, f.loc, f.message) for f in check(project)]
    if issues:
        raise CatalogueError(_in_order(issues))
    return project


def _in_order(issues: list[Issue]) -> list[Issue]:
    """Issues in file order, each once."""
    return sorted(dict.fromkeys(issues), key=lambda i: i.line or 0)


def _compose(text: str, file: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(filter(None, [error.context, error.problem]))
        raise CatalogueError([Issue(file, line, "", f"not valid YAML: {problem}")]) from None
    except yaml.YAMLError as error:
        raise CatalogueError([Issue(file, None, "", f"not valid YAML: {error}")]) from None


def _pydantic_issues(error: ValidationError, root: yaml.Node, file: str) -> list[Issue]:
    return [_issue(file, root, *explain(err)) for err in error.errors()]


def _issue(file: str, root: yaml.Node, loc: Sequence[str | int], message: str) -> Issue:
    return Issue(file, line_of(root, loc), where_text(loc), message)


def line_of(root: yaml.Node, loc: Sequence[str | int]) -> int:
    """The line (from 1) of the value at `loc`, or of the nearest enclosing one in the file."""
    node, line = root, root.start_mark.line
    for part in loc:
        found = _child(node, part)
        if found is None:
            break
        line, node = found
    return line + 1


def _child(node: yaml.Node, part: str | int) -> tuple[int, yaml.Node] | None:
    """(line, node) of a mapping key's value or a sequence item."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line, value
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        item = node.value[part]
        return item.start_mark.line, item
    return None


def _duplicate_keys(node: Any, path: tuple = ()) -> Iterator[tuple[int, str, str]]:
    """(line, where, message) for every key given twice in one mapping."""
    if isinstance(node, yaml.MappingNode):
        lines: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in lines:
                message = f'"{name}" appears twice in this mapping (first on line {lines[name] + 1}); keep one'
                yield key.start_mark.line + 1, where_text((*path, name)), message
            lines.setdefault(name, key.start_mark.line)
            yield from _duplicate_keys(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*path, k))
