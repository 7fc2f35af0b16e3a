"""Turn pydantic's validation errors into messages a council officer can act on."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel

from .errors import describe, did_you_mean
from .kinds import SchemeConfig, scheme_kinds
from .models import Project

Loc = tuple[str | int, ...]


def where_text(path: Sequence[str | int]) -> str:
    """('indicators', 3, 'polarity') -> 'indicators[3].polarity'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def walk(loc: Loc, root: type = Project) -> tuple[list[str | int], Any]:
    """Follow an error location through the models: the path as written in the file
    (discriminator tags dropped) and the type expected at the end (None if unknown)."""
    tp: Any = root
    path: list[str | int] = []
    for part in loc:
        members = _tagged_members(tp)
        tp = _unwrap(tp)
        members = members or _tagged_members(tp)
        if part in members:
            tp = members[part]
            continue
        tp = _step(tp, part)
        path.append(part)
    return path, _unwrap(tp)


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if _is_union(tp):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return tp


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _tagged_members(tp: Any) -> dict[str, type[BaseModel]]:
    """For a union of models told apart by `kind` (a rating scheme entry): kind -> model."""
    if tp == SchemeConfig:
        return {name: kind.config for name, kind in scheme_kinds().items()}
    if not _is_union(tp):
        return {}
    out = {}
    for arg in typing.get_args(tp):
        field = getattr(arg, "model_fields", {}).get("kind")
        if field is not None:
            out.update(dict.fromkeys(typing.get_args(field.annotation), arg))
    return out


def _step(tp: Any, part: str | int) -> Any:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        fields = model_keys(tp)
        return fields[part].annotation if part in fields else None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict:
        return args[1]
    return None


def model_keys(model: type[BaseModel]) -> dict[str, Any]:
    """The keys a model accepts in YAML (aliases where set) and their fields."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _choices(tp: Any) -> list[str]:
    return [str(a) for a in typing.get_args(tp)] if typing.get_origin(tp) is Literal else []


def _use_one_of(choices: Sequence[str]) -> str:
    return f"use one of {', '.join(choices)}" if choices else ""


# -- one function per pydantic error type --------------------------------------------------

Explain = Callable[[dict, Any, Loc], str]


def _missing(err: dict, tp: Any, loc: Loc) -> str:
    choices = _choices(tp)
    return "required but missing" + (f"; {_use_one_of(choices)}" if choices else "")


def _extra(err: dict, tp: Any, loc: Loc) -> str:
    key = str(loc[-1])
    parent = _unwrap(walk(loc[:-1])[1])
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return f'unknown key "{key}"'
    allowed = list(model_keys(parent))
    return f'unknown key "{key}"{did_you_mean(key, allowed)}; allowed keys: {", ".join(allowed)}'


def _literal(err: dict, tp: Any, loc: Loc) -> str:
    value, choices = err.get("input"), _choices(tp)
    hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
    return f"{describe(value)} is not allowed; {_use_one_of(choices)}{hint}"


def _tag_invalid(err: dict, tp: Any, loc: Loc) -> str:
    tag, kinds = err.get("ctx", {}).get("tag", ""), list(scheme_kinds())
    return f'"{tag}" is not a kind of rating scheme; {_use_one_of(kinds)}{did_you_mean(tag, kinds)}'


def _tag_missing(err: dict, tp: Any, loc: Loc) -> str:
    kinds = list(scheme_kinds())
    if not isinstance(err.get("input"), dict):
        return (
            f"expected a mapping with a kind ({', '.join(kinds)}), got {describe(err.get('input'))}"
        )
    return f"kind is required; {_use_one_of(kinds)}"


def _value_error(err: dict, tp: Any, loc: Loc) -> str:
    return str(err.get("ctx", {}).get("error", err["msg"]))


def _fixed(text: str) -> Explain:
    def explain_fixed(err: dict, tp: Any, loc: Loc) -> str:
        ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in err.get("ctx", {}).items()}
        return text.format(value=describe(err.get("input")), **ctx)

    return explain_fixed


MESSAGES: dict[str, Explain] = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "literal_error": _literal,
    "union_tag_invalid": _tag_invalid,
    "union_tag_not_found": _tag_missing,
    "value_error": _value_error,
    "assertion_error": _value_error,
    "float_type": _fixed("{value} is not a number"),
    "float_parsing": _fixed("{value} is not a number"),
    "int_type": _fixed("{value} is not a whole number"),
    "int_parsing": _fixed("{value} is not a whole number"),
    "int_from_float": _fixed("{value} is not a whole number"),
    "bool_type": _fixed("{value} is not allowed; use true or false"),
    "bool_parsing": _fixed("{value} is not allowed; use true or false"),
    "string_type": _fixed("expected text, got {value}"),
    "string_too_short": _fixed("must not be empty"),
    "list_type": _fixed("expected a list (lines starting with -), got {value}"),
    "dict_type": _fixed("expected a mapping (key: value lines), got {value}"),
    "model_type": _fixed("expected a mapping (key: value lines), got {value}"),
    "model_attributes_type": _fixed("expected a mapping (key: value lines), got {value}"),
    "date_type": _fixed("{value} is not a date; write dates as YYYY-MM-DD, e.g. 2024-04-01"),
    "date_parsing": _fixed("{value} is not a date; write dates as YYYY-MM-DD, e.g. 2024-04-01"),
    "date_from_datetime_parsing": _fixed(
        "{value} is not a date; write dates as YYYY-MM-DD, e.g. 2024-04-01"
    ),
    "date_from_datetime_inexact": _fixed(
        "{value} is a date and time; give the date only, e.g. 2024-04-01"
    ),
    "greater_than_equal": _fixed("{value} is too small; use {ge} or more"),
    "less_than_equal": _fixed("{value} is too large; use {le} or less"),
    "too_short": _fixed("needs at least {min_length} item(s)"),
}


def explain(err: dict) -> tuple[list[str | int], str]:
    """The path in the file and the message for one pydantic error."""
    loc: Loc = tuple(err["loc"])
    path, tp = walk(loc)
    if err["type"].startswith("union_tag"):
        path = [*path, "kind"]
    explainer = MESSAGES.get(err["type"])
    message = (
        explainer(err, tp, loc) if explainer else f"{err['msg']} (got {describe(err.get('input'))})"
    )
    return path, message
