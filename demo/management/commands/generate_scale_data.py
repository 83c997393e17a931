import time

from django.core.management.base import BaseCommand, CommandError

from core.statistics import analyze
from demo import scale_data
from pledges.models import Municipality


def positive(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Adds synthetic national-scale data for performance work: a löfte per kommun and "
        "year (slug skala-<year>, marked as example data) with focus areas, commitments of "
        "every target kind, outcomes for ended löften, follow-ups, and activities spread "
        "over the periods. Never touches existing data: kommuner that have löften of their "
        "own are left out, and a second run skips what the first made. Deterministic for a "
        "given --seed. Needs load_reference_data first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kommuner",
            dest="municipality_count",
            type=positive,
            default=290,
            help="How many kommuner get löften (default 290, i.e. all).",
        )
        parser.add_argument(
            "--years",
            type=positive,
            default=10,
            help="Years of löften per kommun, ending this year (default 10).",
        )
        parser.add_argument(
            "--activities",
            type=positive,
            default=1_000_000,
            help="Activities in total, spread over the löften (default 1000000).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be created; save nothing."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Delete the generated data (and only it) instead."
        )

    def handle(self, *args, municipality_count, years, activities, seed, dry_run, clear, **options):
        if not Municipality.objects.exists():
            raise CommandError(
                "No kommuner in the database. Run `manage.py load_reference_data` first."
            )
        started, cpu_started = time.monotonic(), time.process_time()
        if clear:
            if dry_run:
                raise CommandError("--clear and --dry-run cannot be combined.")
            deleted = scale_data.clear()
            analyze("pledges", "dialogues")  # the planner must not plan for the rows gone
            self.stdout.write(f"Deleted {deleted} generated löften and their rows.")
            return

        def progress(n):
            self.stdout.write(f"  … {n:,} activities ({time.monotonic() - started:.0f} s)")

        summary = scale_data.generate(
            municipality_count=municipality_count,
            years=years,
            activities=activities,
            seed=seed,
            dry_run=dry_run,
            progress=progress if options["verbosity"] > 1 else None,
        )
        skipped = summary.pop("skipped_with_own_pledges")
        if not dry_run:
            # Statistics for the rows just loaded: plans right after the load, not after
            # autovacuum's next round (core/statistics.py).
            analyzed = time.monotonic()
            analyze("pledges", "dialogues")
            self.stdout.write(f"ANALYZE took {time.monotonic() - analyzed:.1f} s.")
        prefix = "Dry run, nothing saved. Would create: " if dry_run else "Created: "
        self.stdout.write(prefix + ", ".join(f"{k} {v}" for k, v in summary.items()))
        if skipped:
            self.stdout.write("Left out (they have löften of their own): " + ", ".join(skipped))
        # CPU time too: on a shared machine the wall-clock time says little on its own.
        self.stdout.write(
            f"Took {time.monotonic() - started:.1f} s "
            f"({time.process_time() - cpu_started:.1f} s CPU in this process)."
        )
