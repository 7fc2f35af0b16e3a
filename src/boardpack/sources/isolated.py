"""Reading a file in a child process with a memory limit (RLIMIT_AS) and a time limit, so
that whatever a reader does (a panic, MemoryError, a crash, a loop) ends as a clear error
naming the file, for that file alone, and the process that asked goes on."""

from __future__ import annotations

import importlib
import multiprocessing
import resource
from collections.abc import Callable, Iterable

from boardpack.errors import BoardpackError, Problem

from .safety import LIMITS, MB, Limits


class ReaderFailed(BoardpackError):
    """The child process reading a file ran out of time or memory, or crashed."""


def isolated(
    function: Callable,
    args: Iterable = (),
    *,
    name: str,
    limits: Limits | None = None,
    setup: Callable | None = None,
):
    """`function(*args)` run in a fresh child process limited to `limits.memory_mb` of address
    space and `limits.seconds` of time; its result, or its `BoardpackError` raised again here.
    A child that runs out of either, fails or dies becomes `ReaderFailed` naming the file
    `name`. `function` and `setup` (run first in the child, e.g. to set up Django) are
    module-level functions, imported in the child by name; the arguments must be picklable."""
    limits = limits or Limits.from_env()
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    names = (_named(function), _named(setup) if setup else None)
    child = context.Process(target=_child, args=(send, names, tuple(args), limits), daemon=True)
    child.start()
    send.close()
    try:
        return _answer(child, receive, name, limits)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def _named(function: Callable) -> tuple[str, str]:
    return function.__module__, function.__qualname__


def _imported(named: tuple[str, str]) -> Callable:
    module, qualname = named
    found = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def _answer(child, receive, name: str, limits: Limits):
    try:
        if not receive.poll(limits.seconds):
            raise _failed(name, limits, "seconds", f"took longer than {limits.words('seconds')}")
        kind, value = receive.recv()
    except (EOFError, OSError):
        child.join(5)
        what = f"stopped the reader (exit code {child.exitcode})"
        raise _failed(name, limits, None, what) from None
    if kind == "memory":
        raise _failed(name, limits, "memory_mb", f"needed more than {limits.words('memory_mb')}")
    if kind == "error":
        error_type, problems = value
        raise error_type(problems)
    if kind == "crash":
        raise _failed(name, limits, None, f"made the reader fail ({value})")
    return value


def _failed(name: str, limits: Limits, limit: str | None, what: str) -> ReaderFailed:
    ask = f", or ask the administrator to raise {LIMITS[limit].variable}" if limit else ""
    return ReaderFailed(
        Problem(
            what=f"could not be read: reading it {what}",
            fix="check it opens in Excel or LibreOffice, delete empty rows, columns and "
            f"unused sheets, save it again (or as CSV UTF-8) and upload it again{ask}",
            file=name,
        )
    )


def _child(send, names, args, limits: Limits) -> None:
    memory = limits.memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits.seconds + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    function, setup = names
    try:
        if setup is not None:
            _imported(setup)()
        send.send(("result", _imported(function)(*args)))
    except MemoryError:
        send.send(("memory", None))
    except BoardpackError as error:
        send.send(("error", (type(error), error.problems)))
    except BaseException as error:  # a reader's panic is no Exception
        send.send(("crash", f"{type(error).__name__}: {error}"[:500]))
    finally:
        send.close()
