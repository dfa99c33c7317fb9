"""Fictional participants whose enrolments reproduce the published figures.

Op Koers: "Van de 232 gestarte deelnemers is 23% betaald aan het werk gegaan. 40% zette een
stap ... 27% is op dit moment nog bezig en het overige deel kon ... geen volgende stap zetten."
The counts below give exactly those rounded percentages (53, 93, 63 and 23 of 232).
Klei Impuls: the pilot of 10 young people from Het Hogeland, started in the second half of
2020. Van Waarde and Kansen4Kinderen get a few participants so their pages are not empty.

Everything is drawn from seeded random generators and fixed dates, so every run makes the same
rows. Participants are matched on their reference ("D-000001"), enrolments on participant,
programme and start date; consents, ladder steps and progress entries of demo enrolments are
replaced on every run.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from participants.enums import EnrolmentStatus, Outcome
from participants.models import (
    Consent,
    Enrolment,
    GroupActivity,
    LadderStep,
    Participant,
    ProgressEntry,
)
from participants.names import sort_name, split_surname
from programmes.enums import ActivityKind as Activity
from programmes.models import Track
from regioportal.demo.dates import next_weekday
from regioportal.demo.names import FIRST_NAMES, LAST_NAMES, email_for

REFERENCE_PREFIX = "D-"

OP_KOERS_REPORT_DATE = date(2023, 3, 31)  # Voortgangsrapport of 4 April 2023
OP_KOERS_OUTCOMES = [
    (Outcome.paid_work, 53),  # 23%
    (Outcome.work_experience, 30),  # work_experience .. social_activation: 93 = 40%
    (Outcome.education, 25),
    (Outcome.participation, 20),
    (Outcome.social_activation, 18),
    (Outcome.ongoing, 63),  # 27%
    (Outcome.no_next_step, 23),  # the rest
]

# (track, outcome) of the ten pilot participants of Klei Impuls
KLEI_IMPULS_PILOT = [
    ("Talentontwikkeling", Outcome.education),
    ("Talentontwikkeling", Outcome.education),
    ("Talentontwikkeling", Outcome.paid_work),
    ("Talentontwikkeling", Outcome.work_experience),
    ("Goed werknemer", Outcome.paid_work),
    ("Goed werknemer", Outcome.paid_work),
    ("Goed werknemer", Outcome.participation),
    ("Ondernemerschap", Outcome.paid_work),
    ("Ondernemerschap", Outcome.paid_work),
    ("Ondernemerschap", Outcome.no_next_step),
]

VAN_WAARDE_REPORT_DATE = date(2023, 12, 31)
VAN_WAARDE_OUTCOMES = [
    (Outcome.ongoing, 8),
    (Outcome.education, 5),
    (Outcome.paid_work, 4),
    (Outcome.work_experience, 3),
    (Outcome.participation, 2),
    (Outcome.social_activation, 1),
    (Outcome.no_next_step, 2),
]

KANSEN4KINDEREN_MUNICIPALITIES = [
    "Emmen",
    "Coevorden",
    "Borger-Odoorn",
    "Hoogeveen",
    "Hardenberg",
    "Aa en Hunze",
]

GOALS = {
    "Werk": [
        "Binnen zes maanden een betaalde baan vinden in de logistiek.",
        "Aan het werk als medewerker in de zorg.",
        "Een baan in de horeca van minimaal 24 uur per week.",
        "Een parttimebaan in de detailhandel vinden.",
        "Werk vinden in de bouw of de techniek.",
    ],
    "Scholing": [
        "Starten met een mbo-opleiding in de zorg.",
        "Het Nederlands verbeteren en daarna een opleiding kiezen.",
        "Een vakcertificaat halen (VCA en heftruck).",
        "Een opleiding tot onderwijsassistent beginnen.",
    ],
    "Participatie": [
        "Vrijwilligerswerk vinden bij een buurthuis.",
        "Weer een vast dagritme opbouwen.",
        "Meer sociale contacten opdoen in de wijk.",
        "Meehelpen bij de voedselbank in de buurt.",
    ],
    "Talentontwikkeling": [
        "Mijn talent voor techniek ontwikkelen en een passende opleiding kiezen.",
        "Ontdekken waar ik goed in ben en daar in de regio mee verder gaan.",
    ],
    "Goed werknemer": [
        "Een vaste baan vinden en die ook houden.",
        "Werken aan houding en gedrag op de werkvloer.",
    ],
    "Ondernemerschap": [
        "Mijn eigen bedrijf starten in de regio.",
        "Een ondernemingsplan schrijven en een eerste opdrachtgever vinden.",
    ],
    "Van Waarde": [
        "Uitzoeken welke opleiding bij me past.",
        "Een bijbaan vinden en weer een dagritme krijgen.",
        "Mijn schulden op een rij zetten en daarna werk zoeken.",
        "Mijn rijbewijs halen zodat ik werk in de regio kan aannemen.",
    ],
    "Kansen4Kinderen": [
        "Meedoen aan een sport, met een aanvraag bij het Jeugdfonds Sport en Cultuur.",
        "Beter leren lezen, met voorlezen thuis.",
        "Aansluiten bij de naschoolse activiteiten.",
        "Ouders ondersteunen in het contact met school.",
    ],
}

NOTES = {
    "intake": "Intakegesprek: achtergrond, wensen en persoonlijk doel in kaart gebracht.",
    Activity.coaching: [
        "Persoonlijk doel besproken en de eerste stappen afgesproken.",
        "Cv bijgewerkt en vacatures doorgenomen.",
        "Belemmeringen besproken (vervoer, kinderopvang) en oplossingen gezocht.",
        "Voortgang besproken; deelnemer komt afspraken goed na.",
        "Sollicitatiegesprek voorbereid met een oefengesprek.",
        "Contact gelegd met een werkgever voor een kennismaking.",
        "Terugblik op de afgelopen weken; planning bijgesteld.",
    ],
    Activity.workshop: [
        "Actief meegedaan aan de workshop.",
        "Workshop bijgewoond en een opdracht voor thuis meegekregen.",
    ],
    Activity.assessment: ["Talententest en interessetest afgenomen; uitslag besproken."],
    Activity.theme_evening: ["Thema-avond bijgewoond en met andere jongeren ervaringen gedeeld."],
    Activity.inspiration: ["Inspiratiesessie met een ondernemer uit de regio bijgewoond."],
    Activity.network_visit: ["Op bezoek geweest bij een lokaal bedrijf."],
    Activity.note: [
        "Afstemming met school over de aanpak thuis.",
        "Ouders geven aan dat het thuis beter gaat.",
    ],
}

MILESTONES = {
    Outcome.paid_work: "Arbeidsovereenkomst getekend",
    Outcome.work_experience: "Gestart op een werkervaringsplaats",
    Outcome.education: "Ingeschreven voor een opleiding",
    Outcome.participation: "Gestart met vrijwilligerswerk",
    Outcome.social_activation: "Gestart met een activeringstraject",
}
NO_NEXT_STEP_NOTE = "Traject afgesloten: een volgende stap is nu niet haalbaar."

DURATIONS = {
    Activity.coaching: [45, 60, 60, 90],
    Activity.workshop: [120],
    Activity.assessment: [180],
    Activity.theme_evening: [120],
    Activity.inspiration: [90],
    Activity.network_visit: [120],
}

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = range(5)

# Monthly group activities: programme -> (first day, last day, [(title, kind, weekday, week)])
GROUP_ACTIVITIES = {
    "op-koers": (
        date(2022, 1, 1),
        date(2023, 3, 31),
        [
            ("Workshop Solliciteren", Activity.workshop, TUESDAY, 1),
            ("Workshop Digitale vaardigheden", Activity.workshop, THURSDAY, 3),
        ],
    ),
    "klei-impuls": (
        date(2020, 8, 1),
        date(2022, 6, 30),
        [
            ("Talenten thema-avond", Activity.theme_evening, WEDNESDAY, 2),
            ("Workshop Houding en gedrag", Activity.workshop, MONDAY, 3),
            ("Inspiratiesessie ondernemers", Activity.inspiration, THURSDAY, 4),
            ("Kennismaking lokale bedrijven", Activity.network_visit, FRIDAY, 1),
        ],
    ),
}


@dataclass
class Plan:
    """One participant with one enrolment, before it is written."""

    programme: str
    first_name: str
    last_name: str
    birth_year: int
    municipality: str
    start_date: date
    status: str
    personal_goal: str
    track: str | None = None
    coach: str | None = None
    with_email: bool = True
    end_date: date | None = None
    outcome: str = ""
    outcome_date: date | None = None
    starting_level: int | None = None
    current_level: int | None = None
    ladder: list = field(default_factory=list)  # [(level, date)]
    entries: list = field(default_factory=list)  # [dict of ProgressEntry fields]


def _monthly(first, last, weekday, week):
    """The given weekday of the given week in every month from first to last."""
    day = date(first.year, first.month, 1)
    while day <= last:
        candidate = day + timedelta(days=(weekday - day.weekday()) % 7 + 7 * (week - 1))
        if first <= candidate <= last:
            yield candidate
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _name(rng):
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _ladder_levels(rng, outcome):
    """(starting, current) level on the participatieladder for an outcome."""
    start = {
        Outcome.paid_work: rng.choice([2, 3, 3, 4, 4]),
        Outcome.no_next_step: rng.choice([1, 1, 2, 2, 3]),
    }.get(outcome, rng.choice([1, 2, 2, 3, 3]))
    current = {
        Outcome.paid_work: 6 if rng.random() < 0.8 else 5,
        Outcome.work_experience: max(start, 4),
        Outcome.education: max(start, 3),
        Outcome.participation: max(start, 3),
        Outcome.social_activation: max(start, 2),
        Outcome.ongoing: min(start + 1, 6) if rng.random() < 0.4 else start,
        Outcome.no_next_step: start,
    }[outcome]
    return start, current


def _ladder_steps(start, current, first_day, last_day):
    steps = [(start, first_day)]
    if current > start:
        if current - start >= 2:
            halfway = first_day + timedelta(days=(last_day - first_day).days // 2)
            steps.append(((start + current) // 2, halfway))
        steps.append((current, last_day))
    return steps


def _entry(rng, kind, day, note=None, milestone="", group_activity=None):
    return {
        "kind": kind,
        "date": day,
        "duration_minutes": rng.choice(DURATIONS[kind]) if kind in DURATIONS else None,
        "note": note if note is not None else rng.choice(NOTES[kind]),
        "milestone": milestone,
        "group_activity": group_activity,
    }


def _progress(rng, plan, count, kinds, group_activities, last_day):
    """``count`` progress entries from the intake to ``last_day``: an intake conversation,
    activities of ``kinds`` in between and, for a closed enrolment, the outcome at the end."""
    entries = [_entry(rng, Activity.coaching, plan.start_date, note=NOTES["intake"])]
    closing = None
    if plan.outcome in MILESTONES:
        closing = _entry(
            rng, Activity.milestone, last_day, note="", milestone=MILESTONES[plan.outcome]
        )
    elif plan.outcome == Outcome.no_next_step:
        closing = _entry(rng, Activity.note, last_day, note=NO_NEXT_STEP_NOTE)
    between = count - 1 - (closing is not None)
    span = (last_day - plan.start_date).days
    for number in range(1, between + 1):
        day = plan.start_date + timedelta(days=max(1, round(span * number / (between + 1))))
        kind = rng.choice(kinds)
        if kind in Activity.group_kinds():
            activity = next(
                (a for a in group_activities.get(kind, []) if day <= a.date <= last_day), None
            )
            if activity is None:
                entries.append(_entry(rng, Activity.coaching, day))
            else:
                entries.append(_entry(rng, kind, activity.date, group_activity=activity))
        else:
            entries.append(_entry(rng, kind, day))
    if closing:
        entries.append(closing)
    return entries


def _add_history(rng, plan, count, kinds, group_activities, last_day):
    """Progress entries, ladder levels and steps up to ``last_day``. An enrolment that is
    still running ("nog bezig") gets the date of its newest entry as its outcome date."""
    plan.entries = _progress(rng, plan, count, kinds, group_activities, last_day)
    if plan.outcome == Outcome.ongoing:
        last_day = max(entry["date"] for entry in plan.entries)
        plan.outcome_date = last_day
    plan.starting_level, plan.current_level = _ladder_levels(rng, plan.outcome)
    plan.ladder = _ladder_steps(plan.starting_level, plan.current_level, plan.start_date, last_day)


def _close(plan, end_date):
    plan.status = EnrolmentStatus.finished
    plan.end_date = end_date
    plan.outcome_date = end_date


def _op_koers(group_activities):
    rng = random.Random("op-koers")
    kinds = [Activity.coaching] * 5 + [Activity.workshop] * 2 + [Activity.assessment]
    track_for = {
        Outcome.paid_work: ["Werk"] * 8 + ["Scholing", "Participatie"],
        Outcome.work_experience: ["Werk"] * 3 + ["Participatie"] * 2,
        Outcome.education: ["Scholing"],
        Outcome.participation: ["Participatie"],
        Outcome.social_activation: ["Participatie"],
        Outcome.ongoing: ["Werk"] * 4 + ["Scholing"] * 3 + ["Participatie"] * 3,
        Outcome.no_next_step: ["Werk", "Scholing", "Participatie"],
    }
    plans = []
    for outcome, count in OP_KOERS_OUTCOMES:
        for _ in range(count):
            first_name, last_name = _name(rng)
            track = rng.choice(track_for[outcome])
            plan = Plan(
                programme="op-koers",
                first_name=first_name,
                last_name=last_name,
                birth_year=rng.randint(1960, 2003),
                municipality="Groningen",
                track=track,
                coach="coordinator",
                personal_goal=rng.choice(GOALS[track]),
                outcome=outcome,
                status=EnrolmentStatus.active,
                start_date=date(2022, 1, 1),
            )
            if outcome == Outcome.ongoing:
                plan.start_date = next_weekday(
                    date(2022, 10, 3) + timedelta(days=rng.randint(0, 140))
                )
                last_day = min(
                    plan.start_date + timedelta(days=rng.randint(14, 120)), OP_KOERS_REPORT_DATE
                )
            else:
                plan.start_date = next_weekday(
                    date(2022, 1, 10) + timedelta(days=rng.randint(0, 330))
                )
                last_day = min(
                    plan.start_date + timedelta(days=rng.randint(60, 200)),
                    OP_KOERS_REPORT_DATE - timedelta(days=7),
                )
                _close(plan, last_day)
            _add_history(
                rng, plan, rng.randint(2, 8), kinds, group_activities["op-koers"], last_day
            )
            plans.append(plan)
    # Interleave the outcomes so references do not group by outcome.
    rng.shuffle(plans)
    return plans


def _klei_impuls(group_activities):
    rng = random.Random("klei-impuls")
    kinds = [Activity.coaching] * 4 + [
        Activity.theme_evening,
        Activity.workshop,
        Activity.assessment,
        Activity.inspiration,
        Activity.network_visit,
    ]
    plans = []
    for track, outcome in KLEI_IMPULS_PILOT:
        first_name, last_name = _name(rng)
        start = next_weekday(date(2020, 7, 1) + timedelta(days=rng.randint(0, 150)))
        plan = Plan(
            programme="klei-impuls",
            first_name=first_name,
            last_name=last_name,
            birth_year=rng.randint(1991, 2003),  # at most 29 in 2020: "tot ca. 30 jaar"
            municipality="Het Hogeland",
            track=track,
            coach="coordinator",
            personal_goal=rng.choice(GOALS[track]),
            outcome=outcome,
            status=EnrolmentStatus.active,
            start_date=start,
        )
        last_day = start + timedelta(days=545)  # doorlooptijd 1,5 jaar
        _close(plan, last_day)
        _add_history(
            rng, plan, rng.randint(6, 12), kinds, group_activities["klei-impuls"], last_day
        )
        plans.append(plan)
    return plans


def _van_waarde():
    rng = random.Random("van-waarde")
    kinds = [Activity.coaching]
    plans = []
    for outcome, count in VAN_WAARDE_OUTCOMES:
        for _ in range(count):
            first_name, last_name = _name(rng)
            plan = Plan(
                programme="van-waarde",
                first_name=first_name,
                last_name=last_name,
                birth_year=0,
                municipality="Het Hogeland",
                personal_goal=rng.choice(GOALS["Van Waarde"]),
                outcome=outcome,
                status=EnrolmentStatus.active,
                start_date=date(2021, 12, 1),
            )
            if outcome == Outcome.ongoing:
                plan.start_date = next_weekday(
                    date(2023, 3, 1) + timedelta(days=rng.randint(0, 240))
                )
                last_day = min(
                    plan.start_date + timedelta(days=rng.randint(30, 200)), VAN_WAARDE_REPORT_DATE
                )
            else:
                plan.start_date = next_weekday(
                    date(2021, 12, 1) + timedelta(days=rng.randint(0, 420))
                )
                last_day = min(
                    plan.start_date + timedelta(days=rng.randint(90, 300)),
                    VAN_WAARDE_REPORT_DATE - timedelta(days=14),
                )
                _close(plan, last_day)
            plan.birth_year = plan.start_date.year - rng.randint(16, 27)  # NEET-jongeren 16-27
            _add_history(rng, plan, rng.randint(2, 8), kinds, {}, last_day)
            plans.append(plan)
    rng.shuffle(plans)
    return plans


def _kansen4kinderen():
    rng = random.Random("kansen4kinderen")
    plans = []
    for municipality in KANSEN4KINDEREN_MUNICIPALITIES:
        first_name, last_name = _name(rng)
        plan = Plan(
            programme="kansen4kinderen",
            first_name=first_name,
            last_name=last_name,
            birth_year=rng.randint(2012, 2018),
            municipality=municipality,
            coach="coordinator.drenthe",
            with_email=False,  # children: no contact details of their own
            personal_goal=rng.choice(GOALS["Kansen4Kinderen"]),
            status=EnrolmentStatus.active,
            start_date=next_weekday(date(2023, 1, 9) + timedelta(days=rng.randint(0, 150))),
        )
        last_day = plan.start_date + timedelta(days=rng.randint(60, 180))
        plan.entries = _progress(
            rng, plan, rng.randint(2, 5), [Activity.coaching, Activity.note], {}, last_day
        )
        plans.append(plan)
    return plans


def _group_activities(programmes, users):
    """Create the monthly group activities (matched on programme, title and date)."""
    result = {}
    for slug, (first, last, schedule) in GROUP_ACTIVITIES.items():
        programme = programmes[slug]
        existing = {(a.title, a.date): a for a in GroupActivity.objects.filter(programme=programme)}
        wanted = []
        for title, kind, weekday, week in schedule:
            for day in _monthly(first, last, weekday, week):
                activity = existing.get((title, day)) or GroupActivity(
                    programme=programme,
                    kind=kind,
                    title=title,
                    date=day,
                    duration_minutes=DURATIONS[kind][0],
                    author=users["coordinator"],
                )
                wanted.append(activity)
        GroupActivity.objects.bulk_create([a for a in wanted if a.pk is None])
        by_kind = {}
        for activity in sorted(wanted, key=lambda a: a.date):
            by_kind.setdefault(activity.kind, []).append(activity)
        result[slug] = by_kind
    return result


def load(*, programmes, municipalities, users):
    """Write the demo participants; return the number of enrolments per programme slug."""
    group_activities = _group_activities(programmes, users)
    plans = (
        _op_koers(group_activities)
        + _klei_impuls(group_activities)
        + _van_waarde()
        + _kansen4kinderen()
    )
    tracks = {
        (t.programme_id, t.name): t for t in Track.objects.filter(programme__in=programmes.values())
    }

    participants = []
    for number, plan in enumerate(plans, start=1):
        coach = users.get(plan.coach)
        prefix, last_name = split_surname(plan.last_name)
        participants.append(
            Participant(
                reference=f"{REFERENCE_PREFIX}{number:06d}",
                first_name=plan.first_name,
                surname_prefix=prefix,
                last_name=last_name,
                sort_name=sort_name(plan.first_name, prefix, last_name),
                birth_year=plan.birth_year,
                municipality=municipalities[plan.municipality],
                email=email_for(plan.first_name, plan.last_name, number) if plan.with_email else "",
                created_by=coach,
            )
        )
    Participant.objects.bulk_create(
        participants,
        update_conflicts=True,
        unique_fields=["reference"],
        update_fields=[
            "first_name",
            "surname_prefix",
            "last_name",
            "sort_name",
            "birth_date",
            "birth_year",
            "municipality",
            "email",
            "phone",
            "created_by",
            "anonymised_at",
        ],
    )
    Participant.objects.filter(reference__startswith=REFERENCE_PREFIX).exclude(
        pk__in=[p.pk for p in participants]
    ).delete()

    enrolments = []
    for participant, plan in zip(participants, plans, strict=True):
        programme = programmes[plan.programme]
        enrolments.append(
            Enrolment(
                participant=participant,
                programme=programme,
                track=tracks[(programme.pk, plan.track)] if plan.track else None,
                coach=users.get(plan.coach),
                status=plan.status,
                personal_goal=plan.personal_goal,
                start_date=plan.start_date,
                end_date=plan.end_date,
                starting_ladder_level=plan.starting_level,
                current_ladder_level=plan.current_level,
                outcome=plan.outcome,
                outcome_date=plan.outcome_date,
            )
        )
    Enrolment.objects.bulk_create(
        enrolments,
        update_conflicts=True,
        unique_fields=["participant", "programme", "start_date"],
        update_fields=[
            "track",
            "coach",
            "status",
            "personal_goal",
            "end_date",
            "starting_ladder_level",
            "current_ladder_level",
            "outcome",
            "outcome_date",
        ],
    )
    demo_enrolments = Enrolment.objects.filter(participant__in=participants)
    demo_enrolments.exclude(pk__in=[e.pk for e in enrolments]).delete()

    # The history rows have no natural key: replace them.
    Consent.objects.filter(participant__in=participants).delete()
    LadderStep.objects.filter(enrolment__in=demo_enrolments).delete()
    ProgressEntry.objects.filter(enrolment__in=demo_enrolments).delete()
    consents, steps, entries = [], [], []
    for enrolment, plan in zip(enrolments, plans, strict=True):
        coach = users.get(plan.coach)
        purpose = (
            "Toestemming ouder/verzorger: deelname aan Kansen4Kinderen"
            if plan.programme == "kansen4kinderen"
            else f"Deelname aan {enrolment.programme.name}: vastleggen van intake, voortgang "
            "en uitstroom"
        )
        consents.append(
            Consent(
                participant=enrolment.participant,
                given_on=plan.start_date,
                purpose=purpose,
                recorded_by=coach,
            )
        )
        steps += [
            LadderStep(enrolment=enrolment, level=level, recorded_on=day, recorded_by=coach)
            for level, day in plan.ladder
        ]
        entries += [ProgressEntry(enrolment=enrolment, author=coach, **e) for e in plan.entries]
    Consent.objects.bulk_create(consents)
    LadderStep.objects.bulk_create(steps)
    ProgressEntry.objects.bulk_create(entries, batch_size=1000)

    counts = {}
    for plan in plans:
        counts[plan.programme] = counts.get(plan.programme, 0) + 1
    return counts
