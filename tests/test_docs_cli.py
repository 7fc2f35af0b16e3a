"""The README's command-line reference matches the `boardpack` command: every command has its
`### boardpack <command>` section naming each of its options, and nothing more."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from boardpack.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = re.compile(r"^### boardpack (\S+)\s*$", re.MULTILINE)
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def all_commands() -> dict[str, click.Command]:
    """Every command, those imported only when wanted (`cli.LAZY_COMMANDS`) too."""
    context = click.Context(main)
    return {name: main.get_command(context, name) for name in main.list_commands(context)}


COMMANDS = all_commands()


def sections() -> dict[str, str]:
    """Command name -> the README text under its `### boardpack <command>` heading."""
    text = README.read_text(encoding="utf-8")
    found = {}
    for match in HEADING.finditer(text):
        rest = text[match.end() :]
        end = re.search(r"^#{1,3} ", rest, re.MULTILINE)
        found[match.group(1)] = rest[: end.start()] if end else rest
    return found


def options(command: click.Command) -> set[str]:
    """The command's options, and its subcommands' for a group (`boardpack records ...`)."""
    commands = [command, *getattr(command, "commands", {}).values()]
    return {
        name
        for c in commands
        for p in c.params
        if isinstance(p, click.Option)
        for name in p.opts
        if name.startswith("--")
    }


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_readme_section(name):
    assert name in sections(), f'README.md has no "### boardpack {name}" section'


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_section_names_every_option_and_its_choices(name):
    section = sections().get(name, "")
    for option in options(COMMANDS[name]):
        assert option in section, f"README.md, boardpack {name}: {option} is not documented"
    for param in COMMANDS[name].params:
        if isinstance(param.type, click.Choice):
            for choice in param.type.choices:
                assert choice in section, f"README.md, boardpack {name}: {choice} is not documented"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_section_shows_how_the_command_is_typed(name):
    section = sections().get(name, "")
    assert f"`boardpack {name}" in section


def test_the_readme_documents_no_command_or_option_that_does_not_exist():
    for name, section in sections().items():
        assert name in COMMANDS, f"README.md documents boardpack {name}, which is not a command"
        unknown = set(OPTION.findall(section)) - options(COMMANDS[name])
        assert not unknown, f"README.md, boardpack {name}: {sorted(unknown)} are not options"
