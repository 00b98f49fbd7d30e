"""Rows that are written once and never changed: audit records and plan snapshots."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.db import models


class ImmutableRowError(RuntimeError):
    """An attempt to change or delete a row that is written once."""


_M = TypeVar("_M", bound=models.Model)


class ImmutableQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableRowError(f"{self.model._meta.label} rows are never edited")

    def delete(self) -> NoReturn:
        raise ImmutableRowError(f"{self.model._meta.label} rows are never deleted")


class ImmutableModel(models.Model):
    """A model whose rows can be created but never saved again or deleted.

    Guarding immutability is the only thing ``save()`` does here (STYLE.md §7, §13).
    """

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRowError(f"{self._meta.label} rows are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableRowError(f"{self._meta.label} rows are never deleted")
