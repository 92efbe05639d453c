"""The command line parses its arguments exactly as the whole parser does, while building only
the command it is given (``analyzer.cli.parse_arguments``)."""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import cli

WORDS = [
    *cli.COMMANDS,
    "list",
    "validate",
    "schema",
    "scan",
    "save",
    "show",
    "-o",
    "out.json",
    "--output",
    "--force",
    "--format",
    "json",
    "md",
    "csv",
    "table",
    "bogus",
    "--samples",
    "10",
    "-5",
    "abc",
    "--catalog",
    "cat",
    "--as-of",
    "2027-01-31",
    "2300-01-01",
    "-h",
    "--help",
    "--scenario",
    "stay",
    "--jobs",
    "2",
    "--inactive-days",
    "profile.yaml",
    "--bogus",
    "",
]
"""Command names, options and values of every command, valid and not."""


def outcome(parse) -> tuple:
    """What parsing shows: the parsed arguments, or the exit code and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parsed = parse()
        except SystemExit as exc:
            return ("exit", exc.code, out.getvalue(), err.getvalue())
    return ("parsed", vars(parsed), out.getvalue(), err.getvalue())


def whole(arguments: list[str]) -> tuple:
    """The reference: the parser with every command, parsing ``arguments``."""
    return outcome(lambda: cli.build_parser().parse_args(arguments))


@settings(max_examples=300, deadline=None)
@given(arguments=st.lists(st.sampled_from(WORDS), max_size=6))
def test_any_arguments_give_what_the_whole_parser_gives(arguments):
    assert outcome(lambda: cli.parse_arguments(arguments)) == whole(arguments)


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["-h"],
        ["nothing"],
        ["compare", "-o"],
        ["compare", "-h"],
        ["compare", "--bogus"],
        ["compare", "--format", "docx"],
        ["compare", "--samples", "many"],
        ["compare", "profile.yaml", "extra.yaml"],
        ["catalog"],
        ["catalog", "list", "--as-of", "1999-12-31"],
        ["calendar", "profile.yaml"],
        ["batch"],
        ["org", "scan", "--inactive-days", "-1", "folder"],
        ["workspace", "-h"],
    ],
)
def test_help_and_errors_are_the_whole_parsers(arguments):
    shown = outcome(lambda: cli.parse_arguments(arguments))
    assert shown[0] == "exit"
    assert shown == whole(arguments)


@pytest.mark.parametrize("name", list(cli.COMMANDS))
def test_each_command_registers_itself_alone_in_the_listed_order(name):
    alone = cli._parser(argparse.ArgumentParser, name)._subparsers._group_actions[0]
    assert list(alone.choices) == [name]
    every = cli.build_parser()._subparsers._group_actions[0]
    assert list(every.choices) == list(cli.COMMANDS)


def test_the_arguments_default_to_the_process_arguments(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["crm-analyzer", "compare", "--samples", "7"])
    parsed = cli.parse_arguments()
    assert (parsed.command, parsed.samples, parsed.handler) == ("compare", 7, cli._compare)


PROBE = """
import sys
from analyzer.cli import parse_arguments
parse_arguments(["compare", "--format", "json"])
print(",".join(name for name in {modules!r} if name in sys.modules))
"""


def test_compare_imports_no_other_commands_module():
    modules = ("analyzer.batch", "analyzer.orgscan.cli", "analyzer.workspace.cli")
    finished = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=modules)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == ""
