import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from participants.counting import data_changed
from regioportal.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data of the seed documents (programmes, participants, subsidies, "
        "factsheets and one login per role, password 'regioportal'). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off.",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a production database. load_demo writes "
                "fictional participants and applications and sets the demo users' password "
                "to 'regioportal'. Run it with --force if you really mean to."
            )
        started = time.monotonic()
        summary = load_demo()
        elapsed = time.monotonic() - started
        data_changed()  # bulk inserts send no signals: cached list counts must go
        enrolments = ", ".join(f"{slug} {n}" for slug, n in summary.enrolments.items())
        applications = ", ".join(f"{code} {n}" for code, n in summary.applications.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s.")
            + f"\n  {summary.municipalities} municipalities, {summary.organisations} "
            f"organisations, {summary.programmes} programmes, {summary.users} users"
            f"\n  enrolments: {enrolments}"
            f"\n  applications: {applications}"
            f"\n  {summary.factsheets} factsheets"
            "\n  Log in as coordinator, coordinator.drenthe, beoordelaar, behandelaar, "
            "programmamanager or beheerder; password 'regioportal'."
        )
