"""The ``hazeguard`` command: one command group per core area.

Groups are imported only when used, so ``hazeguard aqi ...`` does not pay for the plan or list
machinery, and each area owns its own module under ``hazeguard.cli``.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

# name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "aqi": "hazeguard.cli.aqi:aqi",
    "demo": "hazeguard.cli.demo:demo",
    "plan": "hazeguard.cli.plan:plan",
    "warn": "hazeguard.cli.warn:warn",
    "forecast": "hazeguard.cli.forecast:forecast",
    "list": "hazeguard.cli.reduction:list_group",
    "comply": "hazeguard.cli.comply:comply",
    "monitor": "hazeguard.cli.monitor:monitor",
    "workdays": "hazeguard.cli.workdays:workdays",
    "summary": "hazeguard.cli.summary:summary",
    "evaluate": "hazeguard.cli.evaluate:evaluate",
    # The platform (Django) lives beside the core; named as a string so the core never imports it.
    "serve": "hazeguard_platform.cli:serve",
    "audit": "hazeguard_platform.audit.cli:audit",
    "backup": "hazeguard_platform.cli:backup",
    "restore": "hazeguard_platform.cli:restore",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _importable(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


def _importable(name: str) -> bool:
    module_name = COMMANDS[name].split(":")[0]
    return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hazeguard")
def main() -> None:
    """HazeGuard: run a heavy-pollution-weather emergency plan (重污染天气应急预案)."""
