"""An upload when the server's disk is full: Django spools a large upload to
``FILE_UPLOAD_TEMP_DIR``, here a 1 MiB tmpfs (a real ENOSPC; skipped where mounting is not
allowed), and a file-size limit (``RLIMIT_FSIZE``, a real EFBIG) for the request. The office
gets 507 and a clear message in the page's language; nothing is stored and the list stored
before is intact; no partial file is left behind."""

from __future__ import annotations

import html
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from conftest import Staff
from hazeguard_platform.enterprises.models import ListedEnterprise, ListImport

from .list_helpers import Firms

pytestmark = pytest.mark.django_db

LIST = "/enterprises/list/liaocheng/"
DISK_BYTES = 1 << 20  # the full disk [bytes]
UPLOAD_BYTES = 3 << 20  # above Django's 2.5 MB kept in memory: spooled to disk [bytes]


@contextmanager
def _file_size_limit(limit: int) -> Iterator[None]:
    """Writes past ``limit`` bytes fail with EFBIG in this process (SIGXFSZ ignored)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.fixture
def full_disk(
    request: pytest.FixtureRequest, settings: SettingsWrapper, tmp_path: Path
) -> Iterator[tuple[Path, Callable[[], AbstractContextManager[None]]]]:
    """The upload folder on a full disk (``request.param``: "tmpfs" or "file-size limit"), and
    the context the request runs in."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    if request.param == "file-size limit":
        yield folder, lambda: _file_size_limit(DISK_BYTES)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs needs root: {mounted.stderr.decode().strip()}")
    try:
        yield folder, nullcontext
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)  # even with a file open


@pytest.mark.parametrize(
    ("full_disk", "language", "words"),
    [
        ("tmpfs", "zh-hans", "服务器磁盘已满"),
        ("file-size limit", "en", "the server's disk is full"),
    ],
    indirect=["full_disk"],
)
def test_an_upload_on_a_full_disk_is_refused_clearly_and_nothing_stored_is_lost(
    liaocheng: Staff,
    firms: Firms,
    full_disk: tuple[Path, Callable[[], AbstractContextManager[None]]],
    language: str,
    words: str,
) -> None:
    folder, during = full_disk
    stored = list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed"))
    imports = list(ListImport.objects.values_list("pk", "state"))
    client = Client()
    client.force_login(liaocheng.office_clerk)
    client.cookies["django_language"] = language
    big = folder.parent / "list.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"\x00" * UPLOAD_BYTES)

    with big.open("rb") as file, during():
        response = client.post(LIST, {"file": file})

    page = html.unescape(response.content.decode())
    assert response.status_code == 507
    assert words in page
    assert "<h1>" in page  # a page, not a traceback
    assert list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed")) == stored
    assert list(ListImport.objects.values_list("pk", "state")) == imports
    assert list(folder.iterdir()) == []  # the partial copy is gone, its space free again
    # The same list page still works for the next request.
    assert client.get(LIST).status_code == 200
