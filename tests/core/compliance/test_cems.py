"""The CEMS check (emission-list.md §8.2) on synthetic hourly outlet records."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from hazeguard.compliance import AlertWindow, check_cems

ORDER = dt.datetime(2024, 12, 10)
WINDOW = AlertWindow("orange", ORDER, ORDER + dt.timedelta(days=2))


def records(outlets: dict[str, tuple[float, float]], frozen: tuple[str, ...] = ()) -> pd.DataFrame:
    """Hourly records; each outlet keeps (flow share, concentration share) during the window."""
    rng = np.random.default_rng(3)
    times = pd.date_range(
        ORDER - dt.timedelta(days=14), WINDOW.lifted_at, freq="1h", inclusive="left"
    )
    after = np.asarray(times >= ORDER)
    frames = []
    for outlet, (flow_share, conc_share) in outlets.items():
        flow = 200_000.0 * np.where(after, flow_share, 1.0) * rng.normal(1, 0.02, len(times))
        so2 = 35.0 * np.where(after, conc_share, 1.0) * rng.normal(1, 0.05, len(times))
        if outlet in frozen:
            so2[after] = 24.5  # the analyser's value stuck: a data-quality flag
        frames.append(
            pd.DataFrame({"outlet": outlet, "time": times, "flow_m3_h": flow, "so2_mg_m3": so2})
        )
    return pd.concat(frames, ignore_index=True)


def measures(*rows: tuple[str, str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"enterprise": "C1", "outlet": o, "kind": k, "fraction": f} for o, k, f in rows]
    )


def statuses(findings: pd.DataFrame, outlet: str) -> set[str]:
    return set(findings.loc[findings["outlet"] == outlet, "status"])


def test_a_stopped_kiln_has_no_flue_gas_and_a_fake_stop_is_caught() -> None:
    data = records({"real": (0.03, 1.0), "fake": (1.0, 1.0)})
    findings = check_cems(data, measures(("real", "stop", None), ("fake", "stop", None)), WINDOW)
    assert statuses(findings, "real") == {"compliant"}
    assert statuses(findings, "fake") == {"violation"}
    assert set(findings["quantity"]) == {"flow_m3"}
    assert findings["clause"].str.contains("§8.2 Stop").all()


def test_a_limit_is_judged_on_mass_emission_not_concentration() -> None:
    # Flow cut 30 % with the same concentration: 30 % less SO2 mass, as a 30 % limit asks.
    # Diluting the gas (concentration halved, flow unchanged) also cuts mass: judged the same way.
    data = records({"cut": (0.7, 1.0), "diluted": (1.0, 0.5), "unchanged": (1.0, 0.97)})
    table = measures(("cut", "limit", 0.3), ("diluted", "limit", 0.3), ("unchanged", "limit", 0.5))
    findings = check_cems(data, table, WINDOW)
    assert statuses(findings, "cut") == {"compliant"}
    assert statuses(findings, "diluted") == {"compliant"}
    assert statuses(findings, "unchanged") == {"violation"}
    one_day = findings[(findings["outlet"] == "cut") & (findings["day"] == dt.date(2024, 12, 11))]
    # 200,000 m³/h × 35 mg/m³ = 7 kg/h, 168 kg a day; 70 % of it is expected.
    assert abs(float(one_day["baseline"].iloc[0]) - 168.0) < 5
    assert abs(float(one_day["expected"].iloc[0]) - 0.7 * 168.0) < 4
    assert set(findings["quantity"]) == {"so2_kg"}


def test_a_stuck_analyser_turns_a_compliant_day_suspicious() -> None:
    data = records({"stuck": (0.7, 1.0)}, frozen=("stuck",))
    findings = check_cems(data, measures(("stuck", "limit", 0.3)), WINDOW)
    assert set(findings["data_flag"]) == {"constant"}
    assert set(findings["status"]) == {"suspicious"}


def test_missing_hours_give_insufficient_data() -> None:
    data = records({"gap": (0.03, 1.0)})
    data = data[~(data["time"].dt.date == dt.date(2024, 12, 11))]
    findings = check_cems(data, measures(("gap", "stop", None)), WINDOW)
    assert list(findings["status"]) == ["compliant", "insufficient_data"]
