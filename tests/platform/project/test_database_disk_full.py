"""PostgreSQL's own disk full: a table of the platform is moved into a tablespace on a tiny tmpfs,
so PostgreSQL's write of it fails with its real "No space left on device" (SQLSTATE 53100
disk_full) during an emission-list upload (the workbook is stored in the database) or a red
warning's fan-out (the enterprise tasks). The page answers 507 in its language, the API 507 in
JSON; the transaction is rolled back, nothing stored before is lost; the tmpfs is then enlarged
(space freed) and the same request succeeds. Needs root (mount) and PostgreSQL.

What it does not show: PostgreSQL's write-ahead log on a full disk. That stops the server
(PANIC) rather than one statement; then the pages answer 503 as for a restart
(notices/test_database_restart.py) until the operator frees space and starts it again.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from enterprises.list_helpers import listed_firms, write_list
from notices.notice_helpers import approved_red, pg_connect

from conftest import Staff
from hazeguard_platform.api.services import api_token_issue
from hazeguard_platform.audit.models import AuditEntry
from hazeguard_platform.enterprises.models import EnterpriseTask, ListedEnterprise, ListImport
from hazeguard_platform.notices.models import Notice
from hazeguard_platform.warnings.models import State, Warning

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TABLESPACE = "hazeguard_tiny"
DISK = "512k"  # the tiny filesystem; enlarged to FREED once space is "freed"
FREED = "64m"
LIST = "/enterprises/list/liaocheng/"


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """The mount point of the tiny filesystem: in /tmp, where the server's user can reach it
    (pytest's own folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="hazeguard-tiny-"))
    try:
        yield folder
    finally:
        folder.rmdir()


@pytest.fixture
def tiny_tablespace(tiny_disk: Path) -> Iterator[Callable[[str], None]]:
    """A tablespace on a 512 KiB tmpfs; the returned function moves a table into it. At the end
    the tables go back to the default tablespace and the tmpfs is unmounted."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's own disk: set DATABASE_URL")
    folder = tiny_disk
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs needs root: {mounted.stderr.decode().strip()}")
    if os.geteuid() == 0:
        subprocess.run(["chown", "postgres:postgres", str(folder)], check=True)
    moved: list[str] = []
    admin = pg_connect()
    admin.autocommit = True  # CREATE TABLESPACE refuses a transaction block
    try:
        admin.execute(f"CREATE TABLESPACE {TABLESPACE} LOCATION '{folder}'")

        def move(table: str) -> None:
            admin.execute(f'ALTER TABLE "{table}" SET TABLESPACE {TABLESPACE}')
            moved.append(table)

        yield move
    finally:
        connection.close()  # no session of the test keeps a lock on the moved tables
        for table in moved:
            admin.execute(f'ALTER TABLE "{table}" SET TABLESPACE pg_default')
        admin.execute(f"DROP TABLESPACE IF EXISTS {TABLESPACE}")
        admin.close()
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def _space_freed(disk: Path) -> None:
    subprocess.run(["mount", "-o", f"remount,size={FREED}", str(disk)], check=True)


def _large_workbook(folder: Path) -> Path:
    """A real list workbook with 2 MiB of incompressible bytes beside its sheets: it passes the
    upload's checks and does not fit the tiny tablespace."""
    path = write_list(folder / "large.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/scan.bin", os.urandom(2 << 20))
    return path


@pytest.mark.parametrize(
    ("language", "words"),
    # English first: the language a request activates stays active in the test process.
    [("en", "The database's disk is full"), ("zh-hans", "数据库所在的磁盘已满")],
)
def test_an_upload_when_the_databases_disk_is_full_is_refused_and_recovers(
    liaocheng: Staff,
    tiny_tablespace: Callable[[str], None],
    tiny_disk: Path,
    tmp_path: Path,
    language: str,
    words: str,
) -> None:
    listed_firms(liaocheng.office_clerk, liaocheng.jurisdiction, tmp_path)
    stored = list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed"))
    imports = list(ListImport.objects.values_list("pk", "state", "created"))
    uploads = AuditEntry.objects.filter(action="emission_list.upload")
    audited = uploads.count()
    tiny_tablespace(ListImport._meta.db_table)
    workbook = _large_workbook(tmp_path)
    client = Client()
    client.force_login(liaocheng.office_clerk)
    client.cookies["django_language"] = language

    with workbook.open("rb") as file:
        response = client.post(LIST, {"file": file})

    page = html.unescape(response.content.decode())
    assert response.status_code == 507
    assert words in page
    assert "<h1>" in page  # a page, not a traceback
    assert list(ListImport.objects.values_list("pk", "state", "created")) == imports
    assert list(ListedEnterprise.objects.values_list("credit_code", "grade", "listed")) == stored
    assert uploads.count() == audited  # the upload's record went with its transaction

    _space_freed(tiny_disk)
    with workbook.open("rb") as file:
        again = client.post(LIST, {"file": file})
    assert again.status_code == 302
    assert ListImport.objects.count() == len(imports) + 1


def test_a_fan_out_when_the_databases_disk_is_full_issues_nothing_and_the_retry_works(
    kashgar: Staff, tiny_tablespace: Callable[[str], None], tiny_disk: Path
) -> None:
    warning, _ = approved_red(kashgar, 3000)  # ~3,000 task rows: more than 512 KiB
    _, token = api_token_issue(actor=kashgar.office_clerk, user=kashgar.office_clerk, name="disk")
    tiny_tablespace(EnterpriseTask._meta.db_table)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    body = json.dumps({"starts_at": (timezone.now() + timedelta(days=2)).isoformat()})
    url = f"/api/warnings/{warning.pk}/issue"

    refused = client.post(url, body, content_type="application/json")

    assert refused.status_code == 507
    assert "数据库所在的磁盘已满" in refused.json()["error"]  # the API answers in Chinese
    assert Warning.objects.get(pk=warning.pk).state == State.APPROVED
    assert not EnterpriseTask.objects.filter(warning=warning).exists()
    assert not Notice.objects.filter(object_id=str(warning.pk), event="issue").exists()
    assert not AuditEntry.objects.filter(action="warning.issue", object_id=str(warning.pk))

    _space_freed(tiny_disk)
    issued = client.post(url, body, content_type="application/json")
    assert issued.status_code == 200, issued.content
    assert EnterpriseTask.objects.filter(warning=warning).count() == 3000
