"""Extension points: what a council's own Python package can add to Boardpack.

A package adds to Boardpack through the `boardpack` entry point group, naming a module (the
entry point's name is the plugin's). The module may define any of the hooks in `HOOKS`, each a
function returning a list of objects that follow the hook's contract:

```toml
[project.entry-points.boardpack]
our_council = "our_council_boardpack"
```

Each registry (`catalogue.kinds.SCHEME_KINDS`, `pack.layouts.LAYOUTS`,
`documents.FORMATS`) is a `Registry`: Boardpack's own entries, those added in code with its
`register`, and, the first time it is asked, those of every installed plugin. `docs/hooks.md`
documents each hook with a worked example; a test keeps the two in step.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from .errors import BoardpackError, Problem

GROUP = "boardpack"


@dataclass(frozen=True)
class Hook:
    """A hook a plugin module may define: `name` is the function's name, `what` the contract
    (a `Protocol`) each object it returns follows."""

    name: str
    what: str


#: Every hook, by the name of the function a plugin module defines.
HOOKS: dict[str, Hook] = {
    hook.name: hook
    for hook in (
        Hook("scheme_kinds", "boardpack.catalogue.kinds.SchemeKind"),
        Hook("layouts", "boardpack.pack.layouts.PackLayout"),
        Hook("output_formats", "boardpack.documents.OutputFormat"),
    )
}

_loaded: dict[str, Any] | None = None


def plugins() -> dict[str, Any]:
    """Each installed plugin's module by its entry point's name, loaded once."""
    global _loaded
    if _loaded is None:
        _loaded = {point.name: _load(point) for point in entry_points(group=GROUP)}
    return _loaded


def _load(point: EntryPoint) -> Any:
    try:
        return point.load()
    except Exception as error:  # a broken plugin is named, whatever it raised
        raise BoardpackError(
            Problem(
                field=f"entry point {point.name} = {point.value}",
                what=f"the Boardpack plugin could not be loaded ({type(error).__name__}: {error})",
                fix="reinstall it, or uninstall it",
            )
        ) from error


def forget() -> None:
    """Load the plugins afresh at the next look-up (after installing one, and in tests)."""
    global _loaded
    _loaded = None
    for registry in Registry.every:
        registry.forget_plugins()


def implementations(hook: str) -> list[tuple[str, Any]]:
    """(plugin, object) for every object the plugins' `hook` functions return."""
    found = []
    for name, module in plugins().items():
        function = getattr(module, hook, None)
        if function is not None:
            found += [(name, item) for item in function()]
    return found


class Registry(dict):
    """Named objects of one contract (a runtime-checkable `Protocol`), by name: Boardpack's own,
    those added with `register`, and the plugins' for `hook`, added the first time `loaded()`
    is asked for. A plugin's object may not take a name already taken. `own` names the module
    that registers Boardpack's own items when they live above the registry's layer (the rating
    scheme kinds, in the engine): it is imported by `loaded()`, so a registry read without
    that module imported first is still whole."""

    every: list[Registry] = []

    def __init__(self, hook: str, contract: type, own: str | None = None):
        super().__init__()
        self.hook, self.contract, self.own = hook, contract, own
        self.added = False
        self.from_plugins: set[str] = set()
        Registry.every.append(self)

    def register(self, item: Any) -> None:
        """Add `item` under its `name` (or replace the item of that name)."""
        self[item.name] = item

    def loaded(self) -> Registry:
        """This registry with every installed plugin's items in it."""
        if not self.added:
            self.added = True
            if self.own:
                importlib.import_module(self.own)
            for plugin, item in implementations(self.hook):
                self._add(plugin, item)
        return self

    def _add(self, plugin: str, item: Any) -> None:
        name = getattr(item, "name", None)
        if not isinstance(item, self.contract) or name in self:
            why = "is not a" if name not in self else "takes a name already taken by another"
            raise BoardpackError(
                Problem(
                    field=f"plugin {plugin}, {self.hook}()",
                    value=str(name),
                    what=f"{why} {HOOKS[self.hook].what}",
                    fix="see docs/hooks.md",
                )
            )
        self.register(item)
        self.from_plugins.add(name)

    def forget_plugins(self) -> None:
        """Take the plugins' items out, to be added afresh at the next `loaded()`."""
        for name in self.from_plugins:
            self.pop(name, None)
        self.from_plugins.clear()
        self.added = False
