"""Demo data: every system of the seed documents, with the figures they publish.

``load_demo()`` is idempotent: reference data is matched on natural keys (CBS codes, names,
slugs, usernames, reference numbers) and updated in place; generated history rows without a
natural key (progress entries, ladder steps, consents, reviews, decisions, payments, budget
lines) are replaced. It is deterministic: seeded random generators and fixed dates, except for
a few open applications that are dated relative to today (see ``subsidies``).
"""

from dataclasses import dataclass

from django.db import transaction

from participants import demo as participants
from programmes.demo import organisations, programmes
from reports import demo as factsheets
from subsidies import demo as subsidies

from . import users


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
