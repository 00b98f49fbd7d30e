"""CSV text handed in through a form or an upload is read like a file (hazeguard.io.tables):
header row 1, rows numbered as in the file, the standards' missing marks, errors naming the
file, row and column."""

from __future__ import annotations

import numpy as np
import pytest

from hazeguard.io.tables import ROW, TableError, missing, numeric_column, read_table_text


def test_rows_keep_their_numbers_in_the_file_blank_lines_included() -> None:
    frame = read_table_text("\ufeff date , aqi\n2026-01-05,220\n\n2026-01-06,NA\n", "f.csv")
    assert list(frame.columns[:2]) == ["date", "aqi"]
    assert list(frame[ROW]) == [2, 3, 4]
    assert list(frame["aqi"]) == ["220", "", "NA"]  # cells stay text


@pytest.mark.parametrize("mark", ["", "NA", "/", "—", " NA "])
def test_the_standards_missing_marks_are_missing(mark: str) -> None:
    frame = read_table_text(f"a,b\n{mark},1\n", "f.csv")
    assert missing(frame, "a").tolist() == [True]
    assert missing(frame, "b").tolist() == [False]
    assert np.isnan(numeric_column(frame, "a", ["f.csv"])[0])


def test_text_in_a_number_column_names_file_row_and_column() -> None:
    frame = read_table_text("a,b\n1,2\n3,2x0\n", "upload.csv")
    with pytest.raises(TableError) as error:
        numeric_column(frame, "b", ["upload.csv"])
    assert (error.value.path, error.value.row, error.value.column) == ("upload.csv", 3, "b")
    assert "'2x0' is not a number" in str(error.value)


def test_text_that_is_no_table_is_row_one() -> None:
    with pytest.raises(TableError) as error:
        read_table_text("", "empty.csv")
    assert (error.value.path, error.value.row) == ("empty.csv", 1)
