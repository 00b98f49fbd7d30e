from __future__ import annotations

from click.testing import CliRunner

from hazeguard.cli import main


def test_it_prints_help_listing_the_command_groups() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert "HazeGuard" in result.output
