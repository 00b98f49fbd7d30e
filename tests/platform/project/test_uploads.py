"""The platform's one capped upload copy (hazeguard_platform.uploads), used by the list import
and the meter-readings upload."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import Staff
from hazeguard_platform.enterprises.models import ListImport
from hazeguard_platform.enterprises.services import emission_list_import
from hazeguard_platform.errors import InvalidInputError
from hazeguard_platform.uploads import (
    CHUNK_BYTES,
    upload_content,
    upload_copy,
    upload_name,
    upload_read,
)

MIB = 1024 * 1024  # [bytes]


def test_it_copies_a_file_of_exactly_the_limit_across_chunks() -> None:
    data = bytes(range(256)) * (CHUNK_BYTES // 128 + 3)
    target = io.BytesIO()
    assert upload_copy(io.BytesIO(data), target, limit_bytes=len(data), field="file") == len(data)
    assert target.getvalue() == data


def test_it_rejects_one_byte_over_the_limit_naming_the_field_and_the_limit() -> None:
    with pytest.raises(InvalidInputError) as refused:
        upload_read(io.BytesIO(b"x" * (2 * MIB + 1)), limit_bytes=2 * MIB, field="file")
    assert (refused.value.field, refused.value.message) == ("file", "the file is larger than 2 MB")


def test_the_name_keeps_no_folder_and_falls_back_to_the_default() -> None:
    named = io.BytesIO(b"")
    named.name = "C:\\fakepath/../readings 1月.csv"  # type: ignore[attr-defined]
    assert upload_name(named, "readings.csv") == "readings 1月.csv"
    assert upload_name(io.BytesIO(b""), "list.xlsx") == "list.xlsx"


def test_a_photo_is_read_with_its_name_and_refused_over_the_limit_naming_it() -> None:
    photo = io.BytesIO(b"\xff\xd8\xff" + b"\x00" * 100)
    photo.name = "kiln.jpg"  # type: ignore[attr-defined]
    assert upload_content(photo, default_name="photo", limit_bytes=MIB, field="photos") == (
        "kiln.jpg",
        b"\xff\xd8\xff" + b"\x00" * 100,
    )
    with pytest.raises(InvalidInputError) as refused:
        upload_content(
            io.BytesIO(b"x" * (MIB + 1)), default_name="photo", limit_bytes=MIB, field="photos"
        )
    assert (refused.value.field, refused.value.message) == (
        "photos",
        "photo: the file is larger than 1 MB",
    )


@pytest.mark.django_db
def test_the_list_import_refuses_a_workbook_over_50_mb_and_stores_nothing(
    liaocheng: Staff, tmp_path: Path
) -> None:
    big = tmp_path / "list.xlsx"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024 + 1)
    with big.open("rb") as file, pytest.raises(InvalidInputError) as refused:
        emission_list_import(
            jurisdiction=liaocheng.jurisdiction, file=file, actor=liaocheng.office_clerk
        )
    assert refused.value.message == "the file is larger than 50 MB"
    assert not ListImport.objects.exists()
