"""CSV downloads of the public pages: one way to write them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse


class _Echo:
    """A file that hands back what is written, for ``csv.writer`` to format one row at a time."""

    def write(self, value: str) -> str:
        return value


def _lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark: spreadsheet programs then read the Chinese as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[str]]
) -> StreamingHttpResponse:
    """A streamed CSV attachment (UTF-8 with BOM): the rows are written as they are read."""
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
