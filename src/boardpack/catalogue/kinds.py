"""Kinds of rating scheme: the contract a kind follows, and the registry a project's
`rating_schemes:` entries are checked against.

A kind (`threshold`, `variance_bands`, a council's own) says what an entry of its kind may hold
(`config`, a pydantic model with `kind: Literal["<name>"]`), which polarities it can rate, and
makes the engine's rating scheme from an entry. Boardpack's own kinds are registered by
`boardpack.engine.schemes`, imported the first time the registry is read; `register_kind` and plugins
(`scheme_kinds` hook) add more, and `boardpack.yaml` can name any of them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any, Protocol, Union, runtime_checkable

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, WrapValidator
from pydantic_core import PydanticCustomError

from ..plugins import Registry


@runtime_checkable
class SchemeKind(Protocol):
    """A kind of rating scheme: its `name` (what `kind:` says), the `config` model an entry of
    this kind is validated by, the `polarities` it can rate, and `scheme(config)`, the engine's
    rating scheme (`boardpack.engine.schemes.RatingScheme`) for one validated entry."""

    name: str
    config: type[BaseModel]
    polarities: Collection[str]

    def scheme(self, config: BaseModel) -> Any: ...


#: Every kind a project can name, by name.
SCHEME_KINDS = Registry("scheme_kinds", SchemeKind, own="boardpack.engine.schemes")


def register_kind(kind: SchemeKind) -> None:
    """Add a kind of rating scheme that projects can name in `rating_schemes:`."""
    SCHEME_KINDS.register(kind)


def scheme_kinds() -> Registry:
    """Every kind: Boardpack's, those registered in code, and the installed plugins'."""
    return SCHEME_KINDS.loaded()


_TAG = {"discriminator": "'kind'"}


def _validated(value: Any) -> BaseModel:
    """A `rating_schemes:` entry checked by its kind's own model. Problems are raised as a
    union told apart by `kind` would raise them, so messages name the kind's settings."""
    if isinstance(value, BaseModel):
        return value
    kinds = scheme_kinds()
    if not isinstance(value, dict) or "kind" not in value:
        raise PydanticCustomError(
            "union_tag_not_found", "Unable to extract tag using discriminator 'kind'", _TAG
        )
    tag = value["kind"]
    if tag not in kinds:
        expected = ", ".join(f"'{name}'" for name in kinds)
        raise PydanticCustomError(
            "union_tag_invalid",
            "Input tag {tag} found using 'kind' does not match any of the expected tags",
            {**_TAG, "tag": str(tag), "expected_tags": expected},
        )
    try:
        return kinds[tag].config.model_validate(value)
    except ValidationError as error:
        raise _under(error, str(tag)) from None


def _under(error: ValidationError, tag: str) -> ValidationError:
    """The kind's own problems, each placed under its kind's name."""
    details = [
        {
            "type": found["type"],
            "loc": (tag, *found["loc"]),
            "input": found["input"],
            **({"ctx": found["ctx"]} if "ctx" in found else {}),
        }
        for found in error.errors()
    ]
    return ValidationError.from_exception_data(error.title, details)


class _KindsJsonSchema:
    """The JSON Schema of an entry: one of the registered kinds' models, told apart by kind."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        return handler(TypeAdapter(config_union()).core_schema)


def config_union() -> Any:
    """The registered kinds' models as one type, told apart by `kind`."""
    models = tuple(kind.config for kind in scheme_kinds().values())
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007


#: The type of a `rating_schemes:` entry: the model of the kind it names, from the live registry.
SchemeConfig = Annotated[
    Any, WrapValidator(lambda value, handler: _validated(value)), _KindsJsonSchema
]
