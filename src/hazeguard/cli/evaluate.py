"""``hazeguard evaluate``: deweathered series, trends and the effect of an episode's measures."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any, Final

import click
import pandas as pd

from hazeguard.aqi.indicators import POLLUTANTS
from hazeguard.cli.aqi import InputError, _expand, _input_errors
from hazeguard.io.measurements import CO_UNITS, TARGETS
from hazeguard.io.weather import WEATHER_VARIABLES

# The UCI Beijing multi-site files: pollutants and weather in one file per station.
BEIJING: Final = "beijing"


def _data_options(command: Callable[..., None]) -> Callable[..., None]:
    options = [
        click.option(
            "--hourly",
            "hourly",
            multiple=True,
            required=True,
            metavar="FILE",
            help="Hourly concentrations (CSV/Parquet; globs; repeatable): time, station, "
            f"{', '.join(POLLUTANTS)}.",
        ),
        click.option(
            "--weather",
            "weather",
            multiple=True,
            required=True,
            metavar="FILE",
            help="Hourly weather (repeatable): time, optional station, any of "
            f"{', '.join(WEATHER_VARIABLES)}.",
        ),
        click.option(
            "--format",
            "layout",
            type=click.Choice(["standard", BEIJING]),
            default="standard",
            show_default=True,
            help="beijing: the UCI Beijing multi-site files as they are (both --hourly and "
            "--weather).",
        ),
        click.option(
            "--map",
            "mappings",
            multiple=True,
            metavar="COLUMN=NAME",
            help="Read a column of either file as a standard name. Repeatable.",
        ),
        click.option(
            "--co-unit", type=click.Choice(tuple(CO_UNITS)), default="mg", show_default=True
        ),
        click.option(
            "--pollutant",
            "pollutants",
            multiple=True,
            type=click.Choice(POLLUTANTS),
            help="Only these pollutants (repeatable). Default: every one in the files.",
        ),
        click.option(
            "--model",
            "kind",
            type=click.Choice(["gradient_boosting", "random_forest"]),
            default="gradient_boosting",
            show_default=True,
            help="random_forest is the published model (slower).",
        ),
        click.option("--trees", type=int, default=200, show_default=True),
        click.option("--seed", type=int, default=20180601, show_default=True),
        click.option(
            "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes."
        ),
        click.option("--json", "as_json", is_flag=True, help="Print the results as JSON."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group()
def evaluate() -> None:
    """Did the measures work? Deweathered series, trends and episode effects."""


@evaluate.command("normalise")
@_data_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="CSV.")
@click.option(
    "--samples",
    type=click.IntRange(10),
    default=300,
    show_default=True,
    help="Weather draws averaged per day.",
)
@click.option("--city", is_flag=True, help="Add the mean over the stations as station 'city'.")
@click.option(
    "--station",
    default="all",
    show_default=True,
    help="'all' (a model per station), one station, or 'city': one model of the stations' mean.",
)
def normalise_command(output: str, samples: int, city: bool, station: str, **options: Any) -> None:
    """Weather-normalise every station and pollutant (Grange et al. 2018).

    Writes the daily series (observed, predicted with the actual weather, normalised) and
    prints each model's out-of-sample R² and RMSE. Example:

    \b
    hazeguard evaluate normalise --format beijing \\
        --hourly "beijing-multisite/*.csv" --weather "beijing-multisite/*.csv" \\
        -o normalised.csv --city --jobs 2
    """
    from hazeguard.evaluation import city_mean, normalise

    as_json = options.pop("as_json")
    data, settings, pollutants, jobs = _load(**options)
    with _input_errors():
        if station == "city":
            data = city_mean(data)
        elif station != "all":
            data = data.station(station)
        result = normalise(data, settings, pollutants=pollutants, n_samples=samples, n_jobs=jobs)
    daily = result.daily
    if city:
        daily = pd.concat([daily, result.city()], ignore_index=True)
    daily.to_csv(output, index=False, float_format="%.4g", date_format="%Y-%m-%d")
    fits = [asdict(fit) for fit in result.fits]
    if as_json:
        document = {"model": settings.kind, "n_samples": samples, "seed": settings.seed}
        click.echo(json.dumps(document | {"fits": fits}, ensure_ascii=False, indent=1))
        return
    click.echo(f"{settings.kind}, {samples} weather draws a day, seed {settings.seed}")
    click.echo(f"{'station':<16} {'pollutant':<6} {'R²':>6} {'RMSE':>8} {'test h':>7}")
    for fit in result.fits:
        line = f"{fit.station:<16} {fit.pollutant:<6} {fit.r2:6.3f} {fit.rmse:8.2f} "
        click.echo(line + f"{fit.test_hours:7d}")
    click.echo(f"wrote {output}")


@evaluate.command("trend")
@click.argument("normalised", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--before",
    nargs=2,
    required=True,
    metavar="FIRST LAST",
    help="First and last day of the earlier period, e.g. 2013-03-01 2014-02-28.",
)
@click.option(
    "--after",
    nargs=2,
    required=True,
    metavar="FIRST LAST",
    help="First and last day of the later period.",
)
@click.option("--station", default="city", show_default=True, help="A station, or 'all'.")
@click.option("--block", type=click.Choice(["day", "week"]), default="week", show_default=True)
@click.option("--boot", type=click.IntRange(100), default=2000, show_default=True)
@click.option("--level", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def trend_command(
    normalised: str,
    before: tuple[str, str],
    after: tuple[str, str],
    station: str,
    block: str,
    boot: int,
    level: float,
    seed: int,
    as_json: bool,
) -> None:
    """Deweathered change between two periods, per pollutant, with a block-bootstrap interval.

    NORMALISED is the file `hazeguard evaluate normalise` wrote. Example:

    \b
    hazeguard evaluate trend normalised.csv \\
        --before 2013-03-01 2014-02-28 --after 2016-03-01 2017-02-28
    """
    from hazeguard.evaluation import trend_change
    from hazeguard.evaluation.io import read_normalised

    with _input_errors():
        daily = read_normalised(normalised)
        if station != "all":
            known = sorted(daily["station"].unique())
            if station not in known:
                raise InputError(f"{normalised}: no station {station!r}; it has {', '.join(known)}")
            daily = daily[daily["station"] == station]
        results = trend_change(
            daily,
            _period(before, "--before"),
            _period(after, "--after"),
            block="day" if block == "day" else "week",
            n_boot=boot,
            level=level,
            seed=seed,
        )
    if as_json:
        click.echo(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1))
        return
    percent = f"{round(100 * level)} % interval"
    click.echo(
        f"{'station':<16} {'pollutant':<6} {'before':>8} {'after':>8} {'change %':>9}  {percent}"
    )
    for r in results:
        click.echo(
            f"{r.station:<16} {r.pollutant:<6} {r.before:8.2f} {r.after:8.2f} {r.percent:+9.1f}"
            f"  {r.percent_low:+.1f} … {r.percent_high:+.1f}"
        )


@evaluate.command("episode")
@_data_options
@click.option("--from", "start", required=True, help="Start of the measures (local time, ISO).")
@click.option("--to", "end", required=True, help="End of the measures (local time, ISO).")
@click.option(
    "--station",
    default="city",
    show_default=True,
    help="A station, or 'city' for the mean over the stations.",
)
@click.option(
    "--warnings",
    "history",
    type=click.Path(exists=True, dir_okay=False),
    help="Warning history (city, level, issued_at, start, end, …): its warnings are "
    "kept out of training and placebos.",
)
@click.option("--city-name", help="The warning history's city (with --warnings).")
@click.option(
    "--exclude",
    nargs=2,
    multiple=True,
    metavar="FROM TO",
    help="Another period with measures to keep out (repeatable).",
)
@click.option(
    "--season-days",
    type=click.IntRange(7, 183),
    default=45,
    show_default=True,
    help="Placebo windows within this many days of year of the episode.",
)
@click.option("--folds", type=click.IntRange(2, 10), default=4, show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="CSV of the effect day by day."
)
def episode_command(
    start: str,
    end: str,
    station: str,
    history: str | None,
    city_name: str | None,
    exclude: Sequence[tuple[str, str]],
    season_days: int,
    folds: int,
    output: str | None,
    **options: Any,
) -> None:
    """Effect of an episode's measures: observed minus business as usual, with placebo runs.

    Example (the December 2015 red warning in Beijing):

    \b
    hazeguard evaluate episode --format beijing \\
        --hourly "beijing-multisite/*.csv" --weather "beijing-multisite/*.csv" \\
        --from 2015-12-08T07:00 --to 2015-12-10T12:00 \\
        --warnings warning-history.csv --city-name Beijing --jobs 2
    """
    from hazeguard.evaluation import city_mean, evaluate_episode
    from hazeguard.evaluation.episode import effect_as_json
    from hazeguard.evaluation.periods import warning_windows

    as_json = options.pop("as_json")
    data, settings, pollutants, jobs = _load(**options)
    if history is not None and not city_name:
        raise click.BadParameter("give the history's city", param_hint="--city-name")
    with _input_errors():
        series = city_mean(data) if station == "city" else data.station(station)
        windows = [(_time(a, "--exclude"), _time(b, "--exclude")) for a, b in exclude]
        if history is not None and city_name:
            windows += warning_windows(history, city_name)
        results = evaluate_episode(
            series,
            _time(start, "--from"),
            _time(end, "--to"),
            excluded=windows,
            pollutants=pollutants,
            settings=settings,
            folds=folds,
            season_days=season_days,
            n_jobs=jobs,
        )
    if output is not None:
        rows = [{"pollutant": r.pollutant} | asdict(day) for r in results for day in r.days]
        pd.DataFrame(rows).to_csv(output, index=False, float_format="%.4g", date_format="%Y-%m-%d")
    if as_json:
        click.echo(json.dumps([effect_as_json(r) for r in results], ensure_ascii=False, indent=1))
        return
    first = results[0]
    level = f"{round(100 * first.level)} %"
    click.echo(f"{station}: {first.start:%Y-%m-%d %H:%M} … {first.end:%Y-%m-%d %H:%M}")
    click.echo(
        f"{'pollutant':<9} {'observed':>9} {'BAU':>9} {'effect %':>9}  {level} interval"
        f"  {'placebos':>8}  {'p (cut)':>7}"
    )
    for r in results:
        click.echo(
            f"{r.pollutant:<9} {r.observed:9.2f} {r.counterfactual:9.2f} {r.percent:+9.1f}"
            f"  {r.percent_low:+.1f} … {r.percent_high:+.1f}"
            f"  {len(r.placebo_percents):8d}  {r.placebo_rank:7.2f}"
        )
    click.echo(
        "BAU: business as usual (model trained outside warnings, episode's weather). "
        "p (cut): share of no-warning placebo windows with an effect as low or lower."
    )


def _load(
    hourly: Sequence[str],
    weather: Sequence[str],
    layout: str,
    mappings: Sequence[str],
    co_unit: str,
    pollutants: Sequence[str],
    kind: str,
    trees: int,
    seed: int,
    jobs: int,
) -> tuple[Any, Any, tuple[str, ...] | None, int]:
    from hazeguard.evaluation import ModelSettings, combine
    from hazeguard.io import beijing
    from hazeguard.io.measurements import read_measurements
    from hazeguard.io.weather import read_weather

    mapping: dict[str, str] = {}
    for item in mappings:
        source, sep, target = item.partition("=")
        if not sep or not source or target not in (*TARGETS, *WEATHER_VARIABLES):
            names = ", ".join((*TARGETS, *WEATHER_VARIABLES))
            raise click.BadParameter(
                f"{item!r}: expected COLUMN=NAME, NAME one of {names}", param_hint="--map"
            )
        mapping[source] = target
    with _input_errors():
        hourly_paths, weather_paths = _expand(hourly), _expand(weather)
        if layout == BEIJING:
            measured = beijing.read_beijing_multisite(hourly_paths)
            met = beijing.read_beijing_weather(weather_paths)
        else:
            pollution_map = {s: t for s, t in mapping.items() if t in TARGETS}
            weather_map = {s: t for s, t in mapping.items() if t not in POLLUTANTS}
            measured = read_measurements(hourly_paths, mapping=pollution_map, co_unit=co_unit)
            met = read_weather(weather_paths, mapping=weather_map)
        data = combine(measured, met)
    settings = ModelSettings(kind=kind, trees=trees, seed=seed)  # type: ignore[arg-type]
    return data, settings, tuple(pollutants) or None, jobs


def _time(text: str, option: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO time", param_hint=option) from None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Asia/Shanghai").tz_localize(None)
    return stamp


def _period(pair: tuple[str, str], option: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    return _time(pair[0], option), _time(pair[1], option)


@evaluate.command("year")
@click.argument("daily_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--plan", "plan_name", required=True, help="Plan ID or jurisdiction code.")
@click.option("--warnings", "history", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--city-name", required=True, help="The warning history's city, e.g. Beijing.")
@click.option("--year", type=int, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def year_command(
    daily_file: str, plan_name: str, history: str, city_name: str, year: int, as_json: bool
) -> None:
    """The year's warnings against the plan's criteria on the observed daily AQI (DAILY_FILE).

    Each real warning is a hit (flagged late when it began after the day the criteria called
    for, low when below their level) or a false alarm (criteria not met); criteria met with no
    warning in the history is a miss (an upper bound: the history is incomplete). Example:

    \b
    hazeguard evaluate year beijing.csv --plan beijing --warnings warning-history.csv \\
        --city-name Beijing --year 2016
    """
    from hazeguard.evaluation.year import year_table
    from hazeguard.warnings.io import ForecastFileError, read_daily

    try:
        observed = read_daily(daily_file, history=True)
        table = year_table(plan_name, observed, history, city_name, year)
    except (ForecastFileError, ValueError) as error:
        raise InputError(str(error)) from error
    if as_json:
        rows = [
            {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(r).items()}
            for r in table.rows
        ]
        click.echo(json.dumps({"year": year, "rows": rows}, ensure_ascii=False, indent=1))
        return
    words = ("hit", "late", "low", "false alarm", "miss")
    counts = ", ".join(f"{w} {table.count(w)}" for w in words)
    click.echo(f"{city_name} {year}: {counts}; undated warnings in the history {table.undated}")
    click.echo(f"{'verdict':<15} {'real':<8} {'real days':<25} {'criteria':<8} criteria days")
    for r in table.rows:
        real = f"{r.real_first} … {r.real_last}" if r.real_first else "–"
        replayed = f"{r.replayed_first} … {r.replayed_last}" if r.replayed_first else "–"
        lag = f" ({r.lag_days:+d} d)" if r.lag_days else ""
        click.echo(
            f"{r.verdict:<15} {r.real_level or '–':<8} {real:<25} {r.replayed_level or '–':<8} "
            f"{replayed}{lag}"
        )
