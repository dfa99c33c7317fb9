"""Province-scale benchmark data on top of the demo data: participants with one enrolment
each, their progress entries, ladder steps and consent, and subsidy applications.

Generated rows are recognisable by their reference: "S-…" for participants, "SC-…" for
applications. Present rows are left alone unless ``replace`` is given, so running twice makes
the same rows. It runs only on a database that holds load_demo's data (which load_demo puts
there only with DEBUG on or --force), so a production database is never filled by mistake.

On PostgreSQL the rows are streamed with COPY FROM STDIN (psycopg 3's ``cursor.copy()``
through Django's connection); elsewhere they go through ``bulk_create`` in batches. Primary
keys that other rows refer to are taken from the table's own sequence up front (``nextval``
over ``generate_series``), so the sequences stay right and need no reset afterwards.

Scale applications are never granted: granting in the demo tenders would break their
subsidy ceilings. They fill every other step of the lifecycle. Their reviews (three per
application unless asked otherwise) go to a pool of reviewers: the demo's ``beoordelaar`` and
generated Beoordelaars ("schaal.beoordelaar.NN", who cannot log in), each reviewer at most
once per application; some still have to declare, some declared a conflict of interest,
drafts and submitted reviews with their scores, each with a due date.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from participants.demo import REFERENCE_PREFIX as DEMO_PARTICIPANT_PREFIX
from participants.enums import EnrolmentStatus, Outcome
from participants.models import Consent, Enrolment, LadderStep, Participant, ProgressEntry
from participants.names import sort_name, split_surname
from programmes.enums import ActivityKind as Activity
from programmes.models import Organisation, Programme
from regioportal.roles import Role
from subsidies.enums import (
    ApplicationStatus,
    Channel,
    DecisionOutcome,
    Recommendation,
    RejectionReason,
    ReviewStatus,
)
from subsidies.models import (
    Application,
    Attachment,
    BudgetLine,
    Decision,
    Payment,
    Review,
    Scheme,
    Score,
)

from .dates import at
from .names import FIRST_NAMES, LAST_NAMES, email_for

PARTICIPANT_PREFIX = "S-"
APPLICATION_PREFIX = "SC-"
REVIEWER_PREFIX = "schaal.beoordelaar."
REVIEWER_POOL = 25  # the demo's beoordelaar and 24 generated ones
REVIEWS_PER_APPLICATION = 3
REVIEW_DAYS = 21  # the due date: three weeks after the assignment
CONFLICT_SHARE = 0.03
BATCH_SIZE = 5000

FIRST_START = date(2019, 1, 7)
START_SPREAD_DAYS = 2000  # starts up to mid 2024; the longest enrolment ends before mid 2025

# (outcome, weight) like Op Koers: 23% paid work, 40% a step, 27% still busy, 10% no step
OUTCOMES = [
    (Outcome.paid_work, 23),
    (Outcome.work_experience, 12),
    (Outcome.education, 10),
    (Outcome.participation, 10),
    (Outcome.social_activation, 8),
    (Outcome.ongoing, 27),
    (Outcome.no_next_step, 10),
]
CURRENT_LEVEL = {
    Outcome.paid_work: 6,
    Outcome.work_experience: 4,
    Outcome.education: 3,
    Outcome.participation: 3,
    Outcome.social_activation: 2,
}
ENTRY_TEMPLATES = [
    (Activity.coaching, 60, "Voortgang besproken en nieuwe afspraken gemaakt."),
    (Activity.coaching, 45, "Cv bijgewerkt en vacatures doorgenomen."),
    (Activity.coaching, 60, "Belemmeringen besproken en oplossingen gezocht."),
    (Activity.coaching, 90, "Sollicitatiegesprek voorbereid."),
    (Activity.workshop, 120, "Workshop bijgewoond."),
    (Activity.assessment, 180, "Talententest afgenomen en besproken."),
    (Activity.note, None, "Telefonisch contact over de planning."),
]
APPLICATION_STATUSES = [
    (ApplicationStatus.received, 15),
    (ApplicationStatus.incomplete, 5),
    (ApplicationStatus.in_review, 35),
    (ApplicationStatus.advised, 15),
    (ApplicationStatus.rejected, 15),
    (ApplicationStatus.not_considered, 5),
    (ApplicationStatus.withdrawn, 10),
]
# Which applications have reviewers, and how far the reviews are: assigned but not declared
# yet, drafts (declared), or submitted.
REVIEWED_STATUSES = {
    ApplicationStatus.received: "assigned",
    ApplicationStatus.in_review: "mixed",
    ApplicationStatus.advised: "submitted",
    ApplicationStatus.rejected: "submitted",
    ApplicationStatus.withdrawn: "assigned",
}
APPLICATION_THEMES = [
    "Dorpshuis als ontmoetingsplek",
    "Beweegprogramma voor ouderen",
    "Ondersteuning van mantelzorgers",
    "Vervoer naar voorzieningen",
    "Verduurzaming van particuliere woningen",
    "Ambachtsleren in de regio",
    "Meedoen voor kinderen in armoede",
]


class MissingDemoData(Exception):
    pass


@dataclass
class ScaleResult:
    rows: dict = field(default_factory=dict)  # table label -> rows written
    skipped: dict = field(default_factory=dict)  # table label -> rows already present
    deleted: dict = field(default_factory=dict)


def _weighted(rng, pairs, count):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=count)


def reserve_ids(model, count):
    """``count`` fresh primary keys for ``model``."""
    if not count:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    # SQLite has one writer at a time, and this runs inside the caller's transaction.
    first = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return list(range(first, first + count))


def insert_rows(model, columns, rows):
    """Write ``rows`` (tuples in the order of ``columns``, attnames) and return how many."""
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        opts = model._meta
        names = ", ".join(qn(opts.get_field(column).column) for column in columns)
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {qn(opts.db_table)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    count = 0
    rows = iter(rows)
    while batch := list(islice(rows, BATCH_SIZE)):
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in batch])
        count += len(batch)
    return count


def _delete(result, label, queryset):
    deleted, _per_model = queryset.delete()
    result.deleted[label] = deleted


def delete_scale_data(result):
    """Remove the generated rows, leaves first so Django deletes them with single queries."""
    delete_scale_participants(result)
    delete_scale_applications(result)


def delete_scale_participants(result):
    enrolments = {"enrolment__participant__reference__startswith": PARTICIPANT_PREFIX}
    _delete(result, "progress entries", ProgressEntry.objects.filter(**enrolments))
    _delete(result, "ladder steps", LadderStep.objects.filter(**enrolments))
    _delete(
        result,
        "consents",
        Consent.objects.filter(participant__reference__startswith=PARTICIPANT_PREFIX),
    )
    _delete(
        result,
        "enrolments",
        Enrolment.objects.filter(participant__reference__startswith=PARTICIPANT_PREFIX),
    )
    _delete(
        result, "participants", Participant.objects.filter(reference__startswith=PARTICIPANT_PREFIX)
    )


def delete_scale_applications(result):
    applications = {"application__reference__startswith": APPLICATION_PREFIX}
    _delete(
        result,
        "scores",
        Score.objects.filter(review__application__reference__startswith=APPLICATION_PREFIX),
    )
    for label, model in [
        ("reviews", Review),
        ("decisions", Decision),
        ("payments", Payment),
        ("budget lines", BudgetLine),
        ("attachments", Attachment),
    ]:
        _delete(result, label, model.objects.filter(**applications))
    _delete(
        result,
        "applications",
        Application.objects.filter(reference__startswith=APPLICATION_PREFIX),
    )
    _delete(
        result,
        "reviewers",
        get_user_model().objects.filter(username__startswith=REVIEWER_PREFIX, reviews=None),
    )


def _user_with_role(role):
    return get_user_model().objects.filter(groups__name=role.value).order_by("pk").first()


def _participant_programmes():
    """The programmes that register participants and have some: Op Koers and friends."""
    programmes = list(
        Programme.objects.filter(has_participants=True, enrolments__isnull=False)
        .distinct()
        .order_by("slug")
        .prefetch_related("tracks", "municipalities", "members")
    )
    if not programmes:
        raise MissingDemoData("No programme with participants")
    return [
        (
            programme.pk,
            [track.pk for track in programme.tracks.all()] or [None],
            [m.pk for m in programme.municipalities.all()] or [None],
            min((user.pk for user in programme.members.all()), default=None),
            (programme.age_min or 18, programme.age_max or 65),
        )
        for programme in programmes
    ]


def generate_participants(result, *, count, entries_per_participant, rng, now):
    programmes = _participant_programmes()
    participant_ids = reserve_ids(Participant, count)
    enrolment_ids = reserve_ids(Enrolment, count)
    outcomes = _weighted(rng, OUTCOMES, count)
    participants, enrolments, history = [], [], []
    for number, (participant_id, enrolment_id, outcome) in enumerate(
        zip(participant_ids, enrolment_ids, outcomes, strict=True), start=1
    ):
        programme_id, tracks, municipalities, coach_id, ages = programmes[number % len(programmes)]
        first_name, surname = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        prefix, last_name = split_surname(surname)
        start = FIRST_START + timedelta(days=rng.randrange(START_SPREAD_DAYS))
        last_day = start + timedelta(days=rng.randint(60, 365))
        starting_level = rng.randint(1, 4)
        closed = outcome != Outcome.ongoing
        if outcome in CURRENT_LEVEL:
            current_level = max(starting_level, CURRENT_LEVEL[outcome])
        elif outcome == Outcome.ongoing and rng.random() < 0.4:
            current_level = starting_level + 1
        else:
            current_level = starting_level
        participants.append(
            (
                participant_id,
                f"{PARTICIPANT_PREFIX}{number:07d}",
                first_name,
                prefix,
                last_name,
                sort_name(first_name, prefix, last_name),
                start.year - rng.randint(*ages),
                municipalities[number % len(municipalities)],
                email_for(first_name, surname, f"s{number}"),
                "",
                now,
                coach_id,
            )
        )
        enrolments.append(
            (
                enrolment_id,
                participant_id,
                programme_id,
                rng.choice(tracks),
                coach_id,
                EnrolmentStatus.finished if closed else EnrolmentStatus.active,
                "Een persoonlijk doel gericht op werk, scholing of participatie.",
                start,
                last_day if closed else None,
                starting_level,
                current_level,
                outcome,
                last_day,  # outcome date: the closing day, or the last update while busy
                now,
                now,
            )
        )
        history.append((enrolment_id, start, last_day, coach_id, starting_level, current_level))

    result.rows["participants"] = insert_rows(
        Participant,
        [
            "id",
            "reference",
            "first_name",
            "surname_prefix",
            "last_name",
            "sort_name",
            "birth_year",
            "municipality_id",
            "email",
            "phone",
            "created_at",
            "created_by_id",
        ],
        participants,
    )
    result.rows["enrolments"] = insert_rows(
        Enrolment,
        [
            "id",
            "participant_id",
            "programme_id",
            "track_id",
            "coach_id",
            "status",
            "personal_goal",
            "start_date",
            "end_date",
            "starting_ladder_level",
            "current_ladder_level",
            "outcome",
            "outcome_date",
            "created_at",
            "updated_at",
        ],
        enrolments,
    )
    result.rows["consents"] = insert_rows(
        Consent,
        ["participant_id", "given_on", "purpose", "recorded_by_id"],
        ((row[1], row[7], "Deelname en vastleggen van voortgang", row[4]) for row in enrolments),
    )
    result.rows["ladder steps"] = insert_rows(
        LadderStep,
        ["enrolment_id", "level", "recorded_on", "recorded_by_id"],
        _ladder_rows(history),
    )
    result.rows["progress entries"] = insert_rows(
        ProgressEntry,
        [
            "enrolment_id",
            "kind",
            "date",
            "duration_minutes",
            "note",
            "milestone",
            "author_id",
            "created_at",
            "updated_at",
        ],
        _progress_rows(history, entries_per_participant, rng, now),
    )


def _ladder_rows(history):
    for enrolment_id, start, last_day, coach_id, starting_level, current_level in history:
        yield (enrolment_id, starting_level, start, coach_id)
        if current_level != starting_level:
            yield (enrolment_id, current_level, last_day, coach_id)


def _progress_rows(history, per_enrolment, rng, now):
    """``per_enrolment`` entries spread evenly from the start to the last day."""
    choice = rng.choice
    steps = max(per_enrolment - 1, 1)
    for enrolment_id, start, last_day, coach_id, _start_level, _current in history:
        span = (last_day - start).days
        for number in range(per_enrolment):
            kind, minutes, note = choice(ENTRY_TEMPLATES)
            day = start + timedelta(days=span * number // steps)
            yield (enrolment_id, kind, day, minutes, note, "", coach_id, now, now)


def _application_slots():
    """(scheme, tender or None, criteria, maximum amount) to spread applications over."""
    slots = []
    for scheme in Scheme.objects.order_by("code").prefetch_related("tenders", "criteria"):
        criteria = [criterion.pk for criterion in scheme.criteria.all()]
        maximum = int(scheme.max_amount or 250_000)
        tenders = sorted(scheme.tenders.all(), key=lambda tender: tender.opens_at)
        if tenders:
            slots += [(scheme, tender, criteria, maximum) for tender in tenders]
        else:
            slots.append((scheme, None, criteria, maximum))
    if not slots:
        raise MissingDemoData("No subsidy scheme")
    return slots


def _reviewer_pool(demo_reviewer):
    """The demo's reviewer and REVIEWER_POOL - 1 generated Beoordelaars (made once; they have
    no usable password)."""
    users = get_user_model().objects
    generated = []
    for number in range(1, REVIEWER_POOL):
        user, _created = users.get_or_create(
            username=f"{REVIEWER_PREFIX}{number:02d}",
            defaults={
                "first_name": FIRST_NAMES[number * 7 % len(FIRST_NAMES)],
                "last_name": LAST_NAMES[number * 11 % len(LAST_NAMES)],
                "email": f"{REVIEWER_PREFIX}{number:02d}@example.org",
                "password": "!",  # unusable: generated reviewers cannot log in
            },
        )
        generated.append(user)
    Group.objects.get(name=Role.reviewer.value).user_set.add(*generated)
    return [demo_reviewer.pk, *(user.pk for user in generated)]


def generate_applications(result, *, count, reviews, rng, now):
    slots = _application_slots()
    applicants = list(Organisation.objects.order_by("pk").values_list("pk", "name"))
    officer = _user_with_role(Role.subsidy_officer)
    reviewer = _user_with_role(Role.reviewer)
    if not applicants or officer is None or reviewer is None:
        raise MissingDemoData("No organisations or no subsidy officer and reviewer")
    if reviews is None:
        reviews = REVIEWS_PER_APPLICATION * count
    application_ids = reserve_ids(Application, count)
    statuses = _weighted(rng, APPLICATION_STATUSES, count)
    applications, reviewable, decisions = [], [], []
    for number, (application_id, status) in enumerate(
        zip(application_ids, statuses, strict=True), start=1
    ):
        scheme, tender, criteria, maximum = slots[number % len(slots)]
        if tender:
            closes = timezone.localdate(tender.closes_at)
            opens = timezone.localdate(tender.opens_at)
            received_on = max(opens, closes - timedelta(days=rng.randint(0, 40)))
        else:
            received_on = date(2020, 1, 6) + timedelta(days=rng.randrange(1800))
        incomplete_since = completion_deadline = decided_on = None
        if status == ApplicationStatus.incomplete:
            incomplete_since = received_on + timedelta(days=3)
            completion_deadline = incomplete_since + timedelta(weeks=2)
        if status in (ApplicationStatus.rejected, ApplicationStatus.not_considered):
            decided_on = received_on + timedelta(days=rng.randint(20, 50))
            decisions.append(
                (
                    application_id,
                    DecisionOutcome.rejected
                    if status == ApplicationStatus.rejected
                    else DecisionOutcome.not_considered,
                    decided_on,
                    officer.pk,
                    "Gegenereerde beslissing (schaaltest).",
                    decided_on + timedelta(weeks=6),
                    RejectionReason.substantive if status == ApplicationStatus.rejected else "",
                )
            )
        if status in REVIEWED_STATUSES:
            reviewable.append((application_id, status, received_on, criteria))
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        applicant_id, applicant_name = rng.choice(applicants)
        applications.append(
            (
                application_id,
                f"{APPLICATION_PREFIX}{number:06d}",
                scheme.pk,
                tender.pk if tender else None,
                applicant_id,
                f"{first_name} {last_name}",
                email_for(first_name, last_name),
                "",
                f"{rng.choice(APPLICATION_THEMES)} – {applicant_name}"[:250],
                "",
                Decimal(rng.randrange(10_000, maximum + 1, 500)),
                Decimal(0),
                False,
                status,
                received_on,
                completion_deadline,
                incomplete_since,
                0,
                received_on + timedelta(weeks=8),
                decided_on,
                decided_on + timedelta(weeks=6) if decided_on else None,
                officer.pk,
                Channel.eloket,
                RejectionReason.substantive if status == ApplicationStatus.rejected else "",
                now,
                now,
            )
        )

    result.rows["applications"] = insert_rows(
        Application,
        [
            "id",
            "reference",
            "scheme_id",
            "tender_id",
            "applicant_id",
            "contact_name",
            "contact_email",
            "contact_phone",
            "title",
            "summary",
            "requested_amount",
            "co_financing",
            "de_minimis_declared",
            "status",
            "received_on",
            "completion_deadline",
            "incomplete_since",
            "paused_days",
            "decision_deadline",
            "decided_on",
            "objection_deadline",
            "handler_id",
            "channel",
            "rejection_reason",
            "created_at",
            "updated_at",
        ],
        applications,
    )
    result.rows["decisions"] = insert_rows(
        Decision,
        [
            "application_id",
            "outcome",
            "decided_on",
            "decided_by_id",
            "motivation",
            "objection_deadline",
            "reason",
        ],
        decisions,
    )
    review_rows, score_rows = _review_rows(
        reviewable,
        total=reviews,
        pool=_reviewer_pool(reviewer),
        officer_id=officer.pk,
        rng=rng,
    )
    result.rows["reviews"] = insert_rows(
        Review,
        [
            "id",
            "application_id",
            "reviewer_id",
            "status",
            "recommendation",
            "comments",
            "conflict_of_interest",
            "conflict_explanation",
            "conflict_declared_at",
            "due_on",
            "assigned_by_id",
            "assigned_at",
            "submitted_at",
        ],
        review_rows,
    )
    result.rows["scores"] = insert_rows(
        Score, ["review_id", "criterion_id", "points", "note"], score_rows
    )


def _review_stage(status, rng):
    """ "undeclared", "conflict", "draft" or "submitted" for a review of an application in
    ``status``."""
    mode = REVIEWED_STATUSES[status]
    if mode != "assigned" and rng.random() < CONFLICT_SHARE:
        return "conflict"
    if mode == "submitted":
        return "submitted"
    if mode == "assigned":
        return "undeclared"
    return rng.choices(["undeclared", "draft", "submitted"], weights=[25, 35, 40])[0]


def _review_rows(reviewable, *, total, pool, officer_id, rng):
    """``total`` reviews spread evenly over the ``reviewable`` applications (each reviewer at
    most once per application), and the scores of the submitted ones."""
    if not reviewable or not total:
        return [], []
    per_application, extra = divmod(total, len(reviewable))
    if per_application >= len(pool):
        per_application, extra = len(pool), 0
    with_extra = set(rng.sample(range(len(reviewable)), extra))
    count = per_application * len(reviewable) + extra
    review_ids = iter(reserve_ids(Review, count))
    review_rows, score_rows = [], []
    for index, (application_id, status, received_on, criteria) in enumerate(reviewable):
        assigned_on = received_on + timedelta(days=2)
        assigned_at = at(assigned_on, 9)
        due_on = assigned_on + timedelta(days=REVIEW_DAYS)
        reviewers = rng.sample(pool, per_application + (index in with_extra))
        for reviewer_id in reviewers:
            review_id = next(review_ids)
            stage = _review_stage(status, rng)
            declared_at = assigned_at + timedelta(days=1) if stage != "undeclared" else None
            submitted_at = assigned_at + timedelta(days=8) if stage == "submitted" else None
            recommendation = ""
            if stage == "submitted":
                recommendation = (
                    Recommendation.reject
                    if status == ApplicationStatus.rejected
                    else rng.choice([Recommendation.grant, Recommendation.grant_partially])
                )
                score_rows += [
                    (review_id, criterion, rng.randint(3, 10), "") for criterion in criteria
                ]
            review_rows.append(
                (
                    review_id,
                    application_id,
                    reviewer_id,
                    ReviewStatus.submitted if stage == "submitted" else ReviewStatus.draft,
                    recommendation,
                    "",
                    {"undeclared": None, "conflict": True}.get(stage, False),
                    "Bestuurslid van de aanvrager." if stage == "conflict" else "",
                    declared_at,
                    due_on,
                    officer_id,
                    assigned_at,
                    submitted_at,
                )
            )
    return review_rows, score_rows


SCALE_TABLES = [
    Participant,
    Enrolment,
    Consent,
    LadderStep,
    ProgressEntry,
    Application,
    Decision,
    Review,
    Score,
]


def analyze():
    """Refresh the planner statistics and the visibility map after a bulk load (PostgreSQL
    only; outside a transaction). Without the VACUUM, counts cannot use index-only scans until
    autovacuum comes by, and a benchmark run right after the load would measure that."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in SCALE_TABLES)
    with connection.cursor() as cursor:
        # VACUUM cannot run inside a transaction (a test's, say); ANALYZE alone still can.
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{verb} {tables}")


def generate_scale_data(
    *,
    participants,
    entries_per_participant,
    applications,
    replace,
    seed,
    reviews=None,
    replace_applications=False,
):
    """Generate the benchmark rows; call inside a transaction. See the module docstring.
    ``reviews``: how many reviews of the generated applications (default three per
    application); ``replace_applications``: generate the applications and their reviews again,
    keeping the participants."""
    # Only on a database load_demo filled (and load_demo refuses production without --force):
    # a production database with a real "op-koers" must never get fictional participants.
    if not Participant.objects.filter(reference__startswith=DEMO_PARTICIPANT_PREFIX).exists():
        raise MissingDemoData("This database holds no demo data")
    result = ScaleResult()
    if replace:
        delete_scale_data(result)
    elif replace_applications:
        delete_scale_applications(result)
    rng = random.Random(seed)
    now = timezone.now()

    present = Participant.objects.filter(reference__startswith=PARTICIPANT_PREFIX).count()
    if present:
        result.skipped["participants"] = present
    elif participants:
        generate_participants(
            result,
            count=participants,
            entries_per_participant=entries_per_participant,
            rng=rng,
            now=now,
        )

    present = Application.objects.filter(reference__startswith=APPLICATION_PREFIX).count()
    if present:
        result.skipped["applications"] = present
    elif applications:
        generate_applications(result, count=applications, reviews=reviews, rng=rng, now=now)
    return result
