"""Load the demo data: every system of the seed documents, with the figures they publish.

Each app owns its part (``programmes/demo/``, ``participants/demo.py``, ``subsidies/demo.py``,
``reports/demo.py``); this command runs them in dependency order in one transaction.

``load_demo()`` is idempotent: reference data is matched on natural keys (CBS codes, names,
slugs, usernames, reference numbers) and updated in place; generated history rows without a
natural key (progress entries, ladder steps, consents, reviews, decisions, payments, budget
lines) are replaced. It is deterministic: seeded random generators and fixed dates, except for
a few open applications that are dated relative to today (see ``subsidies.demo``).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from participants import demo as participants
from participants.counting import data_changed
from programmes.demo import organisations, programmes
from regioportal.demo import users
from reports import demo as factsheets
from subsidies import demo as subsidies


@dataclass
class DemoSummary:
    municipalities: int
    organisations: int
    users: int
    programmes: int
    enrolments: dict
    applications: dict
    factsheets: int


@transaction.atomic
def load_demo(*, today=None):
    """Create or update all demo data in one transaction and return what was loaded."""
    municipalities, orgs = organisations.load()
    demo_users = users.load()
    umbrellas, lines, demo_programmes = programmes.load(
        municipalities=municipalities, organisations=orgs, users=demo_users
    )
    enrolments = participants.load(
        programmes=demo_programmes, municipalities=municipalities, users=demo_users
    )
    applications = subsidies.load(
        lines=lines,
        organisations=orgs,
        programmes=demo_programmes,
        users=demo_users,
        today=today,
    )
    sheets = factsheets.load(programmes=demo_programmes, umbrellas=umbrellas)
    return DemoSummary(
        municipalities=len(municipalities),
        organisations=len(orgs),
        users=len(demo_users),
        programmes=len(demo_programmes),
        enrolments=enrolments,
        applications=applications,
        factsheets=sheets,
    )


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
