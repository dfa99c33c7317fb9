"""Existing rows in the new shape.

- Last names written with their tussenvoegsel ("de Boer", "van der Veen") are split into
  tussenvoegsel and achternaam, and every participant gets its sort name.
- Closed enrolments without an end date get one (the next migration requires it): the
  outcome date, else the newest progress entry, else the start date; never before the start.

The prefix list and the normalisation are copied from participants/names.py as they are
today, so this migration keeps doing what it did when that module changes."""

import unicodedata

from django.db import migrations
from django.db.models import Max

PREFIXES = sorted(
    [
        "de", "den", "der", "het", "'t", "te", "ten", "ter", "van", "van de", "van den",
        "van der", "van het", "van 't", "von", "in de", "in 't", "in het", "op de", "op den",
        "op het", "op 't", "uit de", "uit den", "uit het", "aan de", "aan den", "aan het",
        "bij de", "onder de", "over de", "voor de", "voor den", "d'", "di", "du", "da", "le",
        "la",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
CLOSED = ["afgerond", "uitgevallen", "gestopt"]


def _split(last_name):
    name = " ".join(last_name.translate(APOSTROPHES).split())
    lowered = name.lower()
    for prefix in PREFIXES:
        if lowered.startswith(prefix + " ") and len(name) > len(prefix) + 1:
            return name[: len(prefix)].lower(), name[len(prefix) + 1 :]
    return "", name


def _normalise(text):
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def split_names(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    batch = []
    fields = ["first_name", "surname_prefix", "last_name"]
    for participant in Participant.objects.only(*fields).iterator(chunk_size=2000):
        if not participant.surname_prefix:
            participant.surname_prefix, participant.last_name = _split(participant.last_name)
        participant.sort_name = _normalise(
            f"{participant.last_name} {participant.first_name} {participant.surname_prefix}"
        )[:300]
        batch.append(participant)
        if len(batch) == 2000:
            Participant.objects.bulk_update(batch, ["surname_prefix", "last_name", "sort_name"])
            batch = []
    if batch:
        Participant.objects.bulk_update(batch, ["surname_prefix", "last_name", "sort_name"])


def close_end_dates(apps, schema_editor):
    Enrolment = apps.get_model("participants", "Enrolment")
    missing = Enrolment.objects.filter(status__in=CLOSED, end_date__isnull=True).annotate(
        last_entry=Max("progress_entries__date")
    )
    for enrolment in missing:
        candidates = [enrolment.outcome_date, enrolment.last_entry]
        end = max([day for day in candidates if day] or [enrolment.start_date])
        enrolment.end_date = max(end, enrolment.start_date)
        enrolment.save(update_fields=["end_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_participant_surname_prefix_sort_name"),
    ]

    operations = [
        migrations.RunPython(split_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(close_end_dates, migrations.RunPython.noop, elidable=True),
    ]
