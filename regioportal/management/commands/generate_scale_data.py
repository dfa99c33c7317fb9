import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from participants.counting import data_changed
from regioportal.demo.scale import MissingDemoData, analyze, generate_scale_data
from subsidies.counting import data_changed as subsidies_data_changed


def positive(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Bulk-insert fictional benchmark data on top of the demo data: participants with one "
        "enrolment each (references S-…), their progress entries, ladder steps and consent, "
        "and subsidy applications (references SC-…) with their reviews. Present rows are kept "
        "unless --replace. "
        "Runs only on a database that load_demo filled. Uses COPY on PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=positive, default=100_000)
        parser.add_argument("--entries-per-participant", type=positive, default=10)
        parser.add_argument("--applications", type=positive, default=20_000)
        parser.add_argument(
            "--reviews",
            type=positive,
            default=None,
            help="Reviews of the generated applications (default: three per application).",
        )
        parser.add_argument(
            "--replace-applications",
            action="store_true",
            help="Delete the generated applications and their reviews first; keep participants.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the generated rows of an earlier run first.",
        )
        parser.add_argument("--seed", type=int, default=2024, help="Random seed (default 2024).")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            with transaction.atomic():
                result = generate_scale_data(
                    participants=options["participants"],
                    entries_per_participant=options["entries_per_participant"],
                    applications=options["applications"],
                    replace=options["replace"],
                    seed=options["seed"],
                    reviews=options["reviews"],
                    replace_applications=options["replace_applications"],
                )
        except MissingDemoData as error:
            raise CommandError(
                f"{error}: the scale data builds on the demo data. Run `manage.py load_demo` first."
            ) from error
        written = time.monotonic() - started
        if result.rows:
            analyze()
            data_changed()  # bulk inserts send no signals: cached list counts must go
            subsidies_data_changed()

        for label, count in result.deleted.items():
            self.stdout.write(f"  deleted {count:>9,} {label}")
        for label, count in result.skipped.items():
            self.stdout.write(
                f"  {count:,} generated {label} already present; kept them (use --replace "
                "to generate them again)"
            )
        for label, count in result.rows.items():
            self.stdout.write(f"  {count:>9,} {label}")
        method = "COPY" if connection.vendor == "postgresql" else "bulk_create"
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data written with {method} in {written:.1f} s; "
                f"{time.monotonic() - started:.1f} s in all."
            )
        )
