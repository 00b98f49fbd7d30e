"""The append-only audit log: who did what to which object, before/after, when (STYLE.md §13)."""
