"""``hazeguard serve``: start the platform (migrations, optional demo, worker, web server).

The core's CLI names this module as a string, so ``hazeguard`` itself never imports Django.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

import click


def _demo_environment(data_dir: Path) -> None:
    """Settings for a demo on this machine: a key kept in the data folder, cookies over plain
    HTTP (the demo is served on 127.0.0.1 without TLS)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    os.environ.setdefault("HAZEGUARD_SECRET_KEY", key_file.read_text(encoding="utf-8").strip())
    os.environ.setdefault("HAZEGUARD_SECURE_COOKIES", "0")
    # The demo's accounts are for clicking through each role at once; a second factor (which
    # production asks of the command and administrators) would need a phone per role first.
    os.environ.setdefault("HAZEGUARD_TWO_FACTOR", "0")


def django_ready() -> None:
    """Configure Django for a platform command; a bad setting stops it naming the variable."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hazeguard_platform.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        # A missing or bad setting: say which, without a traceback (settings.py lists them all).
        raise click.ClickException(f"{error} (or run `hazeguard serve --demo`)") from None


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # runs the ``finally`` that stops the worker


@click.command()
@click.option("--demo", is_flag=True, help="Load the demo plans, accounts and warnings first.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--worker/--no-worker",
    default=True,
    show_default=True,
    help="Run the task worker and the notice sender.",
)
@click.option(
    "--workers",
    default=0,
    show_default=True,
    type=click.IntRange(0, 64),
    help="Production mode: gunicorn with this many web processes (2-4 per core); "
    "0 runs Django's development server (the demo).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads (database connections) per web process in production mode.",
)
@click.option(
    "--replay-speed",
    default=60.0,
    show_default=True,
    type=click.FloatRange(0, 100_000),
    help="With --demo: recorded hours of Beijing's December 2015 replayed per real hour through "
    "the pull adapter (60: one hour a minute; 0: no replay).",
)
def serve(
    demo: bool,
    host: str,
    port: int,
    worker: bool,
    workers: int,
    threads: int,
    replay_speed: float = 60.0,
) -> None:
    """Start the platform: migrate the database, (demo), the background workers and the web server.

    SQLite in ./var unless DATABASE_URL is set; see docs/platform.md for the settings.
    """
    if demo:
        _demo_environment(Path(os.environ.get("HAZEGUARD_DATA_DIR", "var")).resolve())
    from hazeguard_platform.startup import PortBusyError, die_with_parent, port_check, warm_up

    try:
        # Before anything starts: a busy port must not leave workers behind (nor a migrated
        # database and a loaded demo for nothing).
        port_check(host, port)
    except PortBusyError as error:
        raise click.ClickException(str(error)) from None
    django_ready()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # Work that fell due while the platform was down, in case its task was never queued.
    call_command("warnings_sweep", verbosity=0)
    call_command("lift_due_sweep", verbosity=0)
    if demo:
        from hazeguard_platform.demo import DEMO_PASSWORD, demo_load

        accounts = demo_load()
        click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            click.echo(
                f"  {account.username:<28} {account.role:<22} {account.jurisdiction:<14} "
                f"{account.detail}".rstrip()
            )
        if replay_speed:
            from hazeguard_platform.monitoring.demo import replay_start

            url = replay_start(speed=replay_speed)
            click.echo(
                f"Replaying Beijing, December 2015, at {replay_speed:g}× from {url}: "
                f"see http://{host}:{port}/monitoring/public/beijing/"
            )
    # Load every page's code now, before the background processes compete for the CPU.
    click.echo(f"Warmed up in {warm_up(host):.1f} s (the first request is as fast as the next).")
    processes: list[subprocess.Popen[bytes]] = []
    if worker:
        # The task worker runs queued tasks (warning starts, deadlines, the outbox drain queued on
        # commit); the notice sender (docs/notices.md) also re-claims deliveries left "sending" by
        # a worker that was killed, once their lease runs out, so a restart resumes them; the
        # process watcher opens and closes pollution processes below the warning level (002).
        for label, command in (
            ("Background worker", ["task_worker", "--no-reload", "--verbosity", "0"]),
            ("Notice sender", ["send_notices", "--verbosity", "0"]),
            ("Station poller", ["poll_stations", "--verbosity", "0"]),
            ("Pollution process watcher", ["watch_processes", "--verbosity", "0"]),
            ("Housekeeping (backups, audit)", ["housekeeping", "--verbosity", "0"]),
        ):
            process = subprocess.Popen(
                [sys.executable, "-m", "hazeguard_platform", *command],
                # Only a prctl call runs between fork and exec (safe: it takes no lock).
                preexec_fn=die_with_parent(),
            )
            processes.append(process)
            click.echo(f"{label} started (pid {process.pid}).")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    mode = f"gunicorn, {workers} processes × {threads} threads" if workers else "development server"
    click.echo(f"HazeGuard platform at http://{host}:{port}/  ({mode}; Ctrl-C stops it)")
    try:
        if workers:
            from hazeguard_platform.server import serve_production

            # gunicorn handles SIGTERM itself (a graceful stop) and exits through the finally.
            serve_production(host=host, port=port, workers=workers, threads=threads)
        else:
            call_command(
                "runserver",
                f"{host}:{port}",
                use_reloader=False,
                insecure_serving=True,
                skip_checks=True,
            )
    finally:
        for process in processes:
            process.terminate()  # each finishes the task or delivery in hand and exits on SIGTERM
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@click.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file to write (.tar).",
)
def backup(output: Path) -> None:
    """Back up the database (with the uploaded files it holds) and the audit archives."""
    django_ready()
    from hazeguard_platform.backup import BackupError, backup_create

    try:
        manifest = backup_create(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    size = output.stat().st_size / 1e6
    click.echo(
        f"{output}: {manifest['engine']} backup, {size:.1f} MB, {len(manifest['members'])} members"
    )


@click.command()
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the platform's data.")
def restore(backup_file: Path, yes: bool) -> None:
    """Replace the platform's data with a backup (stop the platform first), then migrate and
    verify the audit chain."""
    django_ready()
    from hazeguard_platform.backup import BackupError, backup_restore

    if not yes:
        click.confirm(
            "This replaces every record of the platform with the backup. Go on?", abort=True
        )
    try:
        result = backup_restore(backup_file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored the {result.engine} backup of {result.created_at}")
    click.echo(
        f"audit chain: {result.audit_records} records, {len(result.audit_problems)} problems"
    )
    for problem in result.audit_problems:
        click.echo(f"  {problem}", err=True)
    if result.audit_problems:
        sys.exit(1)
