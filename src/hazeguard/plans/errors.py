"""The one error a plan file can raise: it names the file, the line and the key."""

from __future__ import annotations


class PlanError(ValueError):
    """A plan file or plan snapshot that does not follow the schema (``docs/plan-schema.md``).

    Attributes
    ----------
    file
        The file as shown to a person (``liaocheng/2020.yaml`` for a shipped plan), or
        ``<snapshot>`` for a plan rebuilt from a dictionary.
    line
        1-based line of the offending key or value, or ``None`` when unknown (snapshots).
    key
        The offending key (``critera``, ``op``, ...), or the last key of the path.
    """

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        self.file = file
        self.line = line
        self.key = key
        self.detail = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")
