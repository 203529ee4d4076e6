"""The command-line documentation stays true to the commands that exist."""

from pathlib import Path

from django.core.management import get_commands

from rapport.cli import RAPPORT_COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def test_every_listed_command_exists_and_is_documented():
    available = get_commands()
    cli_doc = (ROOT / "docs" / "cli.md").read_text()
    readme = (ROOT / "README.md").read_text()
    for name, _ in RAPPORT_COMMANDS:
        assert name in available, f"rapport --help lists {name!r} but no such command exists"
        assert f"`{name}" in cli_doc, f"docs/cli.md does not document {name!r}"
        assert f"rapport {name}" in readme, f"README does not mention rapport {name}"


def test_every_rapport_management_command_is_listed_in_help():
    ours = {name for name, app in get_commands().items() if app.startswith("rapport.")}
    listed = {name for name, _ in RAPPORT_COMMANDS}
    assert ours <= listed, f"commands missing from rapport --help: {sorted(ours - listed)}"


def test_the_cycle_diagram_in_the_docs_is_the_state_machine():
    from rapport.periods.lifecycle import mermaid

    assert f"```mermaid\n{mermaid()}\n```" in (ROOT / "docs" / "cycle.md").read_text()
