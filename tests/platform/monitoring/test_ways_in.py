"""The three ways hourly data arrive: pushed through the API, polled from an endpoint (here a
real HTTP server on loopback serving CNEMC's field layout), uploaded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from api_client import ApiClient
from django.core.management import call_command
from flows import observe

from conftest import Staff
from hazeguard_platform.monitoring.models import PullSource, Reading, Station

pytestmark = pytest.mark.django_db
CNEMC_HOURS = [
    {
        "StationCode": "1001A",
        "PositionName": "万寿西宫",
        "Area": "北京市",
        "TimePoint": f"2026-01-05T{hour:02d}:00:00",
        "AQI": "—",
        "PM2_5": str(80 + hour),
        "PM10": "120",
        "SO2": "8",
        "NO2": "60",
        "CO": "1.3",
        "O3": "—",
    }
    for hour in (1, 2, 3)
]


@pytest.fixture
def station(liaocheng: Staff) -> Station:
    return Station.objects.create(
        code="1001A",
        name_zh="万寿西宫",
        kind="national",
        jurisdiction=liaocheng.jurisdiction,
        latitude=39.878,
        longitude=116.352,
    )


@pytest.fixture
def endpoint() -> Iterator[str]:
    body = json.dumps(CNEMC_HOURS).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hourly"
    server.shutdown()
    server.server_close()


def test_a_pushed_hour_is_stored_once_however_often_it_is_sent(
    liaocheng: Staff, station: Station
) -> None:
    client = ApiClient(liaocheng.office_clerk)
    body = {"layout": "cnemc", "hours": CNEMC_HOURS}
    first = client.post("/api/jurisdictions/liaocheng/readings", body)
    again = client.post("/api/jurisdictions/liaocheng/readings", body)
    assert first.status_code == 200, first.content
    assert (first.json()["stored"], again.json()["stored"], again.json()["unchanged"]) == (3, 0, 3)
    assert Reading.objects.count() == 3


def test_a_bad_pushed_hour_is_refused_naming_record_and_field(
    liaocheng: Staff, station: Station
) -> None:
    hours = [dict(CNEMC_HOURS[0], PM2_5="eighty")]
    answer = ApiClient(liaocheng.office_clerk).post(
        "/api/jurisdictions/liaocheng/readings", {"layout": "cnemc", "hours": hours}
    )
    assert answer.status_code == 400
    assert "push 第 1 行“PM2_5”列" in answer.json()["error"]  # the request's language


def test_a_commander_token_may_not_push(liaocheng: Staff, station: Station) -> None:
    answer = ApiClient(liaocheng.commander).post(
        "/api/jurisdictions/liaocheng/readings", {"layout": "cnemc", "hours": CNEMC_HOURS}
    )
    assert answer.status_code == 403


def test_the_poller_fetches_a_cnemc_endpoint_and_stores_its_hours(
    liaocheng: Staff, station: Station, endpoint: str
) -> None:
    source = PullSource.objects.create(
        jurisdiction=liaocheng.jurisdiction, url=endpoint, layout="cnemc", format="json"
    )
    call_command("poll_stations", "--once", verbosity=0)
    source.refresh_from_db()
    assert source.last_outcome == "3 rows: 3 new, 0 corrected, 0 unchanged"
    assert sorted(Reading.objects.values_list("pm25", flat=True)) == [81.0, 82.0, 83.0]
    call_command("poll_stations", "--once", verbosity=0)
    assert Reading.objects.count() == 3, "not due again before its interval"


def test_an_endpoint_that_fails_leaves_its_error_on_the_source(
    liaocheng: Staff, station: Station
) -> None:
    source = PullSource.objects.create(
        jurisdiction=liaocheng.jurisdiction, url="http://127.0.0.1:9/none", format="json"
    )
    call_command("poll_stations", "--once", verbosity=0)
    source.refresh_from_db()
    assert source.last_outcome
    assert not Reading.objects.exists()


def test_an_uploaded_file_goes_the_same_way(liaocheng: Staff) -> None:
    delivery = observe(
        liaocheng, "time,station,pm25,pm10,so2,no2,o3,co\n2026-01-05 01:00,A1,35,50,,,,\n"
    )
    assert delivery.stored == 1
