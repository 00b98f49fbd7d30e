"""``manage.py episode_effect EPISODE_ID``: estimate an ended episode's air-quality effect now,
in this process (the task worker does the same after a lift), e.g. after weather was uploaded."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hazeguard_platform.evaluation.effect import effect_queue, effect_run
from hazeguard_platform.warnings.models import Episode


class Command(BaseCommand):
    help = "Estimate the air-quality effect of an ended episode's measures."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("episode_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Episode.objects.filter(pk=options["episode_id"]).exists():
            raise CommandError(f"no episode {options['episode_id']}")
        queued = effect_queue(episode_id=options["episode_id"])
        if queued is None:
            raise CommandError("a drill, or an episode not ended: no effect to estimate")
        estimate = effect_run(estimate_id=queued.pk)
        if estimate is None:
            self.stdout.write(f"estimate {queued.pk} is being run by a worker")
            return
        self.stdout.write(f"estimate {estimate.pk}: {estimate.state}")
        for item in estimate.missing:
            self.stdout.write(f"  missing: {item}")
        for row in estimate.result:
            self.stdout.write(
                f"  {row['pollutant']}: {row['percent']:+.1f}% "
                f"({row['percent_low']:+.1f} … {row['percent_high']:+.1f}), "
                f"{len(row['placebo_percents'])} placebo runs, R² {row['r2']:.2f}"
            )
