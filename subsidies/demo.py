"""Schemes, tenders and applications that reproduce the figures of the Leefbaarheid terugblik.

- Subsidieregeling Zorg & Voorzieningen: "in 10 tenders 42 subsidieaanvragen ingediend,
  waarvan 31 zijn gehonoreerd".
- Transitiefonds Particuliere Woningvoorraad: € 2,7 miljoen, volledig besteed; 8 aanvragen
  gehonoreerd, twee in 2021, één in 2022 en vijf in 2023 (RWLP € 700.000 in 2021 and
  € 100.000 in 2023).
- Pilot Economische Vitaliteit: Tocamaheerd € 750.000 (2022), Makerswierde € 747.000 and
  Makeport Mercurius € 729.000 (2023).
- Sociale Agenda: yearly ruim € 160.000 to Stichting Leergeld, Jeugdfonds Sport en Cultuur,
  Voedselbanken Groningen and Kledingbank Maxima; in 2023 an extra grant for a refrigerated
  truck for the Regionaal Distributiecentrum.

Decided applications carry fixed dates. A handful of open Sociale Agenda applications (for the
reviewer's and the officer's work lists) are dated relative to today on purpose, so their
deadlines are live in a demo; they are never granted, so no figure depends on them.
Applications are matched on their reference; their reviews, decisions, payments and budget
lines are replaced on every run.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from programmes.demo.organisations import municipality_organisation
from programmes.demo.programmes import GEMEENTEN_GRONINGEN, LEEFBAARHEID
from regioportal.demo.dates import at, next_weekday
from regioportal.demo.names import FIRST_NAMES, LAST_NAMES, email_for
from subsidies.ceiling import recount_granted_total
from subsidies.deadlines import objection_deadline
from subsidies.enums import (
    AllocationMethod,
    ApplicationStatus,
    DecisionOutcome,
    PaymentKind,
    Recommendation,
    ReviewStatus,
)
from subsidies.models import (
    Application,
    BudgetLine,
    Criterion,
    Decision,
    DecisionLetter,
    Payment,
    Review,
    Scheme,
    Score,
    Tender,
)

ZV, TPW, PEV, SA = "ZV", "TPW", "PEV", "SA"

SCHEMES = {
    ZV: {
        "name": "Subsidieregeling Zorg & Voorzieningen",
        "line": "zorg-en-voorzieningen",
        "allocation_method": AllocationMethod.tender,
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("250000"),
        "description": (
            "De provincie stelt subsidies beschikbaar in het kader van zorg en voorzieningen. "
            "Doel van deze subsidieregeling is om de voorzieningen en de zorg in de provincie "
            "te versterken, verbeteren en toekomstbestendig te maken. Aanvragen worden per "
            "tender beoordeeld en gerangschikt."
        ),
        "criteria": [
            ("Bijdrage aan beschikbare en kwalitatief goede zorg en voorzieningen", 3, 10, 5),
            ("Bovenlokaal karakter en bereik", 2, 10, 5),
            ("Samenwerking en draagvlak", 2, 10, 5),
            ("Toekomstbestendigheid en borging", 2, 10, 5),
            ("Doelmatigheid van de begroting", 1, 10, 4),
        ],
    },
    TPW: {
        "name": "Transitiefonds Particuliere Woningvoorraad",
        "line": "wonen",
        "allocation_method": AllocationMethod.first_come,
        "budget": Decimal("2700000"),
        "description": (
            "Het Transitiefonds Particuliere Woningvoorraad wordt ingezet voor het bevorderen "
            "van een duurzame en toekomstbestendige woningvoorraad."
        ),
        "criteria": [],
    },
    PEV: {
        "name": "Pilot Economische Vitaliteit",
        "line": "economische-vitaliteit",
        "allocation_method": AllocationMethod.first_come,
        "max_amount": Decimal("750000"),
        "description": (
            "De pilot is bedoeld voor het vergroten van de economische vitaliteit van "
            "krimpgebieden. De provincie heeft in 2020 en 2021 onderzocht welke bestaande "
            "programma’s zij wil versterken; het resultaat is een stevige inzet op ambachtsleren."
        ),
        "criteria": [],
    },
    SA: {
        "name": "Sociale Agenda — jaarlijkse subsidies",
        "line": "sociale-agenda",
        "allocation_method": AllocationMethod.first_come,
        "description": (
            "Jaarlijkse subsidies aan organisaties die meedoen mogelijk maken voor inwoners met "
            "een laag inkomen."
        ),
        "criteria": [
            ("Bijdrage aan meedoen van inwoners met een laag inkomen", 2, 10, 5),
            ("Bereik in de provincie", 1, 10, 4),
            ("Samenwerking met andere organisaties", 1, 10, 4),
        ],
    },
}

# Zorg & Voorzieningen: (round, opens, closes, applications, why the others were not granted).
# 42 applications, 31 granted; not granted: 5 below a minimum score, 3 beyond the ceiling,
# 3 not completed in time (buiten behandeling).
ZV_TENDERS = [
    ("2020 – ronde 1", date(2020, 9, 1), date(2020, 10, 15), 4, ["threshold"]),
    ("2020 – ronde 2", date(2020, 11, 2), date(2020, 12, 14), 4, ["not_considered"]),
    ("2021 – ronde 1", date(2021, 2, 1), date(2021, 3, 15), 5, ["ceiling"]),
    ("2021 – ronde 2", date(2021, 5, 3), date(2021, 6, 14), 4, ["threshold"]),
    ("2021 – ronde 3", date(2021, 9, 1), date(2021, 10, 15), 5, ["not_considered"]),
    ("2022 – ronde 1", date(2022, 2, 1), date(2022, 3, 15), 4, ["ceiling"]),
    ("2022 – ronde 2", date(2022, 5, 2), date(2022, 6, 13), 4, ["threshold"]),
    ("2022 – ronde 3", date(2022, 9, 1), date(2022, 10, 14), 4, ["not_considered"]),
    ("2023 – ronde 1", date(2023, 2, 1), date(2023, 3, 15), 4, ["threshold"]),
    ("2023 – ronde 2", date(2023, 5, 1), date(2023, 6, 12), 4, ["ceiling", "threshold"]),
]
FAMILIEHUIS_TENDER = "2021 – ronde 2"

ZV_PROJECTS = [
    (
        "Dorpszorgcoöperatie",
        "Opzet van een zorgcoöperatie met vrijwilligers en een dorpsondersteuner.",
    ),
    (
        "Beweegtuin en valpreventie",
        "Een beweegtuin bij het dorpshuis met een beweegprogramma voor ouderen.",
    ),
    ("Gezondheidscentrum", "Huisarts, fysiotherapie en wijkverpleging samen onder één dak."),
    ("Mantelzorgondersteuning", "Respijtzorg en een steunpunt voor mantelzorgers."),
    (
        "Dementievriendelijke gemeenschap",
        "Training van winkelpersoneel en vrijwilligers in het omgaan met dementie.",
    ),
    (
        "Vervoer naar zorg en voorzieningen",
        "Een vrijwilligersvervoersdienst voor inwoners zonder eigen vervoer.",
    ),
    (
        "Clustering van voorzieningen",
        "Bibliotheek, consultatiebureau en dorpshuis samen in één gebouw.",
    ),
    ("Zorgzame buurt", "Buurtbewoners helpen elkaar, met een buurtcoördinator als vraagbaak."),
    (
        "Welzijn op recept",
        "Huisartsen verwijzen inwoners met psychosociale klachten naar welzijnsactiviteiten.",
    ),
    (
        "Toekomstbestendig dorpshuis",
        "Verduurzaming en herinrichting van het dorpshuis als ontmoetingsplek.",
    ),
    (
        "Eenzaamheid samen aanpakken",
        "Huisbezoeken en ontmoetingsactiviteiten voor alleenstaande ouderen.",
    ),
    ("Zorg op afstand", "Beeldbellen en thuismonitoring voor ouderen in kleine kernen."),
]

# Transitiefonds: (applicant, title, amount, received on, programme slug)
TPW_APPLICATIONS = [
    (
        "RWLP programmabureau",
        "Aanpak kwetsbare panden Oost-Groningen",
        700_000,
        date(2021, 3, 15),
        "rwlp-kwetsbare-panden",
    ),
    (
        municipality_organisation("Het Hogeland"),
        "Aanpak particuliere woningvoorraad Het Hogeland",
        350_000,
        date(2021, 9, 20),
        None,
    ),
    (
        municipality_organisation("Eemsdelta"),
        "Verduurzaming particuliere woningen Eemsdelta",
        400_000,
        date(2022, 5, 10),
        None,
    ),
    (
        "RWLP programmabureau",
        "Aanpak kwetsbare panden Oost-Groningen – aanvulling",
        100_000,
        date(2023, 2, 13),
        "rwlp-kwetsbare-panden",
    ),
    (
        municipality_organisation("Westerkwartier"),
        "Toekomstbestendige particuliere woningvoorraad Westerkwartier",
        300_000,
        date(2023, 4, 3),
        None,
    ),
    (
        municipality_organisation("Midden-Groningen"),
        "Aanpak verouderde particuliere woningen Midden-Groningen",
        250_000,
        date(2023, 6, 5),
        None,
    ),
    (
        municipality_organisation("Oldambt"),
        "Herstructurering particuliere woningvoorraad Oldambt",
        325_000,
        date(2023, 8, 14),
        None,
    ),
    (
        municipality_organisation("Pekela"),
        "Kwaliteitsimpuls particuliere woningen Pekela",
        275_000,
        date(2023, 10, 2),
        None,
    ),
]

PEV_APPLICATIONS = [
    ("Tocamaheerd", "Ambachtsleren bij Tocamaheerd", 750_000, date(2022, 3, 14), None),
    ("Makerswierde", "Makerswierde – de Koppelplaats", 747_000, date(2023, 3, 6), None),
    (
        "Makeport Mercurius",
        "Uitbouwen van vakonderwijs bij Makeport Mercurius",
        729_000,
        date(2023, 5, 22),
        None,
    ),
]

SA_YEARLY = [
    ("Stichting Leergeld", Decimal("50000")),
    ("Jeugdfonds Sport en Cultuur", Decimal("45000")),
    ("Voedselbanken Groningen", Decimal("40000")),
    ("Kledingbank Maxima", Decimal("27500")),
]  # € 162.500 a year
SA_YEARS = [2020, 2021, 2022, 2023]
SA_EXTRA = (
    "Regionaal Distributiecentrum Groningen",
    "Koelvrachtwagen voor de voedselbanken",
    75_000,
    date(2023, 6, 12),
    None,
)

WEEKS_8 = timedelta(weeks=8)  # Awb 4:13 default, and every scheme here keeps it


@dataclass
class AppPlan:
    reference: str
    scheme: str
    applicant: str
    title: str
    summary: str
    requested: Decimal
    received_on: date
    status: str
    tender: str | None = None
    programme: str | None = None
    granted: Decimal | None = None
    settled: Decimal | None = None
    co_financing: Decimal = Decimal(0)
    de_minimis: bool = False
    contact: tuple = ("", "")
    completion_deadline: date | None = None
    incomplete_since: date | None = None
    paused_days: int = 0
    decided_on: date | None = None
    settled_on: date | None = None
    rank: int | None = None
    decision: tuple | None = None  # (DecisionOutcome, motivation)
    review: dict | None = None  # {"status", "recommendation", "points": [..], "submitted"}
    payments: list = field(default_factory=list)  # [(kind, amount, day)]
    reason: str = ""  # Zorg & Voorzieningen: granted, ceiling, threshold or not_considered
    total: Decimal = Decimal(0)  # weighted review score

    @property
    def decision_deadline(self):
        return self.received_on + WEEKS_8 + timedelta(days=self.paused_days)


def _euros(value):
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _contact(rng):
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _grant_lifecycle(plan, status):
    """Set status, payments and settlement of a granted application.
    Advances are 80% of the grant, paid two weeks after the decision."""
    plan.status = status
    if status == ApplicationStatus.granted:
        return
    advance = _euros(plan.granted * Decimal("0.8"))
    plan.payments.append((PaymentKind.advance, advance, plan.decided_on + timedelta(weeks=2)))
    if status == ApplicationStatus.settled:
        plan.settled = plan.settled if plan.settled is not None else plan.granted
        plan.settled_on = next_weekday(plan.decided_on + timedelta(days=400))
        if plan.settled > advance:
            plan.payments.append(
                (
                    PaymentKind.settlement,
                    plan.settled - advance,
                    plan.settled_on + timedelta(weeks=2),
                )
            )


def _granted_status(year, *, long_running=False):
    if long_running or year >= 2023:
        return ApplicationStatus.advance_paid
    if year == 2022:
        return ApplicationStatus.accountability
    return ApplicationStatus.settled


def _zorg_en_voorzieningen(criteria):
    rng = random.Random("zorg-en-voorzieningen")
    gemeenten = [municipality_organisation(name) for name in GEMEENTEN_GRONINGEN]
    weights = [Decimal(weight) for _name, weight, _max, _min in criteria]
    minimums = [minimum for _name, _weight, _max, minimum in criteria]
    plans, ceilings, sequence = [], {}, {}
    for tender_number, (name, _opens, closes, count, not_granted) in enumerate(ZV_TENDERS):
        reasons = ["granted"] * (count - len(not_granted)) + not_granted
        decided_on = next_weekday(closes + timedelta(weeks=4))  # one decision date per tender
        tender_plans = []
        for reason in reasons:
            year = closes.year
            sequence[year] = sequence.get(year, 0) + 1
            theme, summary = ZV_PROJECTS[(tender_number * 5 + len(tender_plans)) % len(ZV_PROJECTS)]
            applicant = rng.choice(gemeenten)
            requested = Decimal(rng.randrange(25_000, 150_001, 500))
            plan = AppPlan(
                reference=f"{ZV}-{year}-{sequence[year]:03d}",
                scheme=ZV,
                tender=name,
                applicant=applicant,
                title=f"{theme} {applicant.removeprefix('Gemeente ')}",
                summary=summary,
                requested=requested,
                co_financing=_euros(requested * Decimal(rng.randrange(0, 51)) / 100),
                received_on=next_weekday(closes - timedelta(days=rng.randint(1, 27))),
                contact=_contact(rng),
                status=ApplicationStatus.received,
            )
            if name == FAMILIEHUIS_TENDER and not tender_plans:
                plan.applicant = "Stichting De Hoven"
                plan.title = "Experiment Familiehuis"
                plan.summary = (
                    "Actieonderzoek naar de samenwerking tussen formele en informele zorg in "
                    "verpleeghuis Vliethoven in Delfzijl."
                )
                plan.programme = "experiment-familiehuis"
                plan.requested = Decimal("149600")
            if reason == "not_considered":
                plan.incomplete_since = plan.received_on + timedelta(days=3)
                plan.completion_deadline = plan.incomplete_since + timedelta(weeks=2)
                plan.paused_days = 14
                plan.decided_on = next_weekday(plan.completion_deadline + timedelta(days=3))
                plan.status = ApplicationStatus.not_considered
                plan.decision = (
                    DecisionOutcome.not_considered,
                    "De aanvraag is niet binnen de hersteltermijn aangevuld (artikel 4:5 Awb).",
                )
            else:
                plan.decided_on = decided_on
                if reason == "granted":
                    points = [rng.randint(7, 10) for _ in criteria]
                elif reason == "ceiling":
                    points = [rng.randint(m, 6) for m in minimums]
                else:  # below the minimum score on one criterion
                    points = [rng.randint(m, 7) for m in minimums]
                    failed = rng.randrange(len(criteria))
                    points[failed] = rng.randint(1, minimums[failed] - 1)
                    plan.status = ApplicationStatus.rejected
                    plan.decision = (
                        DecisionOutcome.rejected,
                        f"De aanvraag scoort onder de minimumscore op ‘{criteria[failed][0]}’.",
                    )
                plan.review = {
                    "points": points,
                    "recommendation": Recommendation.reject
                    if reason == "threshold"
                    else Recommendation.grant,
                    "submitted": at(closes + timedelta(days=10), 14),
                    "assigned": at(next_weekday(closes + timedelta(days=1)), 9),
                    "status": ReviewStatus.submitted,
                }
                plan.total = sum(p * w for p, w in zip(points, weights, strict=True))
            plan.reason = reason
            tender_plans.append(plan)

        # Rank the eligible applications and grant down the ranking until the ceiling.
        eligible = sorted(
            (p for p in tender_plans if p.reason in ("granted", "ceiling")),
            key=lambda p: -p.total,
        )
        granted_sum = Decimal(0)
        for rank, plan in enumerate(eligible, start=1):
            plan.rank = rank
            if plan.reason == "granted":
                plan.granted = plan.requested
                granted_sum += plan.granted
                plan.decision = (
                    DecisionOutcome.granted,
                    f"De aanvraag voldoet aan de criteria en past binnen het subsidieplafond "
                    f"(plaats {rank} in de rangschikking).",
                )
                _grant_lifecycle(
                    plan,
                    _granted_status(closes.year, long_running=plan.programme is not None)
                    if name != "2023 – ronde 2"
                    else ApplicationStatus.granted,
                )
            else:
                plan.status = ApplicationStatus.rejected
                plan.decision = (
                    DecisionOutcome.rejected,
                    f"Het subsidieplafond van de tender is bereikt (plaats {rank} in de "
                    "rangschikking).",
                )
        # The ceiling: the granted total rounded up to € 25.000, so the next one did not fit.
        ceilings[name] = (granted_sum / 25_000).to_integral_value(rounding="ROUND_CEILING") * 25_000
        for plan in eligible:
            if plan.reason == "ceiling":
                assert plan.requested > ceilings[name] - granted_sum
        plans += tender_plans
    return plans, ceilings


def _direct_grants(scheme, rows, status_for, rng):
    """Applications of a first-come scheme, all granted in full ~6 weeks after receipt."""
    plans, sequence = [], {}
    for applicant, title, amount, received_on, programme in rows:
        year = received_on.year
        sequence[year] = sequence.get(year, 0) + 1
        plan = AppPlan(
            reference=f"{scheme}-{year}-{sequence[year]:03d}",
            scheme=scheme,
            applicant=applicant,
            title=title,
            summary="",
            requested=Decimal(amount),
            granted=Decimal(amount),
            received_on=received_on,
            programme=programme,
            contact=_contact(rng),
            decided_on=next_weekday(received_on + timedelta(weeks=6)),
            status=ApplicationStatus.granted,
            de_minimis=scheme == PEV,
        )
        plan.decision = (DecisionOutcome.granted, "De aanvraag voldoet aan de regeling.")
        _grant_lifecycle(plan, status_for(plan))
        plans.append(plan)
    return plans


def _transitiefonds():
    rng = random.Random("transitiefonds")

    def status_for(plan):
        if plan.received_on.year == 2023 and plan.requested < 300_000:
            return ApplicationStatus.granted
        return _granted_status(plan.received_on.year)

    plans = _direct_grants(TPW, TPW_APPLICATIONS, status_for, rng)
    for plan in plans:
        plan.co_financing = _euros(plan.requested / 2)
    return plans


def _pilot_economische_vitaliteit():
    rng = random.Random("pilot-economische-vitaliteit")

    def status_for(plan):
        return (
            ApplicationStatus.granted
            if plan.applicant == "Makeport Mercurius"
            else ApplicationStatus.advance_paid
        )

    return _direct_grants(PEV, PEV_APPLICATIONS, status_for, rng)


def _sociale_agenda():
    rng = random.Random("sociale-agenda")
    rows = [
        (
            applicant,
            f"Jaarlijkse subsidie {year}",
            amount,
            next_weekday(date(year, 1, 10 + number * 3)),
            None,
        )
        for year in SA_YEARS
        for number, (applicant, amount) in enumerate(SA_YEARLY)
    ] + [SA_EXTRA]
    return _direct_grants(SA, rows, lambda plan: _granted_status(plan.received_on.year), rng)


def _open_work(today):
    """Open Sociale Agenda applications for the reviewer's and the officer's work lists."""
    rng = random.Random("open-work")
    specs = [
        ("Stichting Leergeld", 52_000, 20, ApplicationStatus.in_review, None),
        ("Jeugdfonds Sport en Cultuur", 46_500, 12, ApplicationStatus.in_review, [7, 6, None]),
        ("Voedselbanken Groningen", 41_000, 3, ApplicationStatus.received, None),
        ("Kledingbank Maxima", 28_000, 9, ApplicationStatus.incomplete, None),
    ]
    plans = []
    for number, (applicant, amount, days_ago, status, points) in enumerate(specs, start=1):
        received_on = today - timedelta(days=days_ago)
        plan = AppPlan(
            reference=f"{SA}-{received_on.year}-{number:03d}",
            scheme=SA,
            applicant=applicant,
            title=f"Jaarlijkse subsidie {today.year + 1}",
            summary="Aanvraag voor de jaarlijkse subsidie.",
            requested=Decimal(amount),
            received_on=received_on,
            contact=_contact(rng),
            status=status,
        )
        if status == ApplicationStatus.incomplete:
            plan.incomplete_since = received_on + timedelta(days=3)
            plan.completion_deadline = plan.incomplete_since + timedelta(weeks=2)
        if status == ApplicationStatus.in_review:
            plan.review = {
                "points": points or [],
                "recommendation": "",
                "submitted": None,
                "assigned": at(received_on + timedelta(days=2), 9),
                "status": ReviewStatus.draft,
            }
        plans.append(plan)
    return plans


def _budget_lines(plan):
    total = plan.requested + plan.co_financing
    staff = _euros(total * Decimal("0.6"))
    means = _euros(total * Decimal("0.25"))
    return [
        ("Personeelskosten en projectleiding", staff),
        ("Materiaal en middelen", means),
        ("Communicatie en overige kosten", total - staff - means),
    ]


def load(*, lines, organisations, programmes, users, today=None):
    """Create or update schemes, tenders and applications; return the applications per scheme."""
    officer, reviewer = users["behandelaar"], users["beoordelaar"]
    leefbaarheid_lines = lines[LEEFBAARHEID]
    schemes, criteria = {}, {}
    for code, spec in SCHEMES.items():
        scheme, _ = Scheme.objects.update_or_create(
            code=code,
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "line": leefbaarheid_lines[spec["line"]],
                "allocation_method": spec["allocation_method"],
                "min_amount": spec.get("min_amount"),
                "max_amount": spec.get("max_amount"),
                "budget": spec.get("budget"),
                "is_active": True,
            },
        )
        schemes[code] = scheme
        scheme.handlers.add(officer)
        criteria[code] = [
            Criterion.objects.update_or_create(
                scheme=scheme,
                name=name,
                defaults={
                    "weight": weight,
                    "max_points": maximum,
                    "min_points": minimum,
                    "order": order,
                },
            )[0]
            for order, (name, weight, maximum, minimum) in enumerate(spec["criteria"], start=1)
        ]

    zv_plans, ceilings = _zorg_en_voorzieningen(SCHEMES[ZV]["criteria"])
    tenders = {}
    for name, opens, closes, _count, _not_granted in ZV_TENDERS:
        tenders[name], _ = Tender.objects.update_or_create(
            scheme=schemes[ZV],
            name=name,
            defaults={
                "opens_at": at(opens, 9),
                "closes_at": at(closes, 17),
                "ceiling": ceilings[name],
            },
        )

    plans = (
        zv_plans
        + _transitiefonds()
        + _pilot_economische_vitaliteit()
        + _sociale_agenda()
        + _open_work(today or timezone.localdate())
    )
    applications = [
        Application(
            reference=plan.reference,
            scheme=schemes[plan.scheme],
            tender=tenders[plan.tender] if plan.tender else None,
            programme=programmes[plan.programme] if plan.programme else None,
            applicant=organisations[plan.applicant],
            contact_name=" ".join(plan.contact),
            contact_email=email_for(*plan.contact),
            title=plan.title,
            summary=plan.summary,
            requested_amount=plan.requested,
            granted_amount=plan.granted,
            settled_amount=plan.settled,
            co_financing=plan.co_financing,
            de_minimis_declared=plan.de_minimis,
            status=plan.status,
            received_on=plan.received_on,
            completion_deadline=plan.completion_deadline,
            incomplete_since=plan.incomplete_since,
            paused_days=plan.paused_days,
            decision_deadline=plan.decision_deadline,
            decided_on=plan.decided_on,
            objection_deadline=objection_deadline(plan.decided_on) if plan.decided_on else None,
            settled_on=plan.settled_on,
            rank=plan.rank,
            handler=officer,
        )
        for plan in plans
    ]
    fields = [
        f.name
        for f in Application._meta.concrete_fields
        if not f.primary_key and f.name not in ("reference", "created_at", "updated_at")
    ]
    Application.objects.bulk_create(
        applications, update_conflicts=True, unique_fields=["reference"], update_fields=fields
    )
    # Record creation follows receipt, not the moment the demo was loaded.
    for application in applications:
        application.created_at = at(application.received_on, 10)
    Application.objects.bulk_update(applications, ["created_at"])

    # Reviews, decisions, payments and budget lines have no natural key: replace them.
    DecisionLetter.objects.filter(decision__application__in=applications).delete()
    Decision.objects.filter(application__in=applications).delete()
    Payment.objects.filter(application__in=applications).delete()
    BudgetLine.objects.filter(application__in=applications).delete()
    Review.objects.filter(application__in=applications).delete()

    reviews, decisions, payments, budget_lines = [], [], [], []
    for application, plan in zip(applications, plans, strict=True):
        if plan.review:
            reviews.append(
                Review(
                    application=application,
                    reviewer=reviewer,
                    status=plan.review["status"],
                    recommendation=plan.review["recommendation"],
                    comments=_review_comment(plan),
                    submitted_at=plan.review["submitted"],
                    # A submitted review was preceded by the declaration of no conflict; an
                    # open one waits for it.
                    conflict_of_interest=(
                        False if plan.review["status"] == ReviewStatus.submitted else None
                    ),
                )
            )
        if plan.decision:
            outcome, motivation = plan.decision
            decisions.append(
                Decision(
                    application=application,
                    outcome=outcome,
                    amount=plan.granted if outcome == DecisionOutcome.granted else None,
                    decided_on=plan.decided_on,
                    effective_on=plan.decided_on,
                    sent_on=plan.decided_on,
                    decided_by=officer,
                    motivation=motivation,
                    objection_deadline=objection_deadline(plan.decided_on),
                )
            )
        if plan.settled_on:
            decisions.append(
                Decision(
                    application=application,
                    outcome=DecisionOutcome.settled,
                    amount=plan.settled,
                    decided_on=plan.settled_on,
                    effective_on=plan.settled_on,
                    sent_on=plan.settled_on,
                    decided_by=officer,
                    motivation="Subsidie vastgesteld na beoordeling van de verantwoording.",
                    objection_deadline=objection_deadline(plan.settled_on),
                )
            )
        payments += [
            Payment(application=application, kind=kind, amount=amount, paid_on=day)
            for kind, amount, day in plan.payments
        ]
        budget_lines += [
            BudgetLine(application=application, description=description, amount=amount, order=order)
            for order, (description, amount) in enumerate(_budget_lines(plan), start=1)
        ]
    Review.objects.bulk_create(reviews)
    plans_by_reference = {plan.reference: plan for plan in plans}
    for review in reviews:
        review.assigned_at = plans_by_reference[review.application.reference].review["assigned"]
    for review in reviews:
        if review.conflict_of_interest is False:
            review.conflict_declared_at = review.assigned_at
    Review.objects.bulk_update(reviews, ["assigned_at", "conflict_declared_at"])
    Score.objects.bulk_create(
        Score(review=review, criterion=criterion, points=points)
        for review in reviews
        for criterion, points in zip(
            criteria[plans_by_reference[review.application.reference].scheme],
            plans_by_reference[review.application.reference].review["points"],
            strict=False,
        )
        if points is not None
    )
    Decision.objects.bulk_create(decisions)
    for tender in tenders.values():
        recount_granted_total(tender)
    Payment.objects.bulk_create(payments)
    BudgetLine.objects.bulk_create(budget_lines)

    counts = {}
    for plan in plans:
        counts[plan.scheme] = counts.get(plan.scheme, 0) + 1
    return counts


def _review_comment(plan):
    if plan.review["status"] != ReviewStatus.submitted:
        return ""
    if plan.review["recommendation"] == Recommendation.reject:
        return "Het plan is sympathiek, maar onvoldoende uitgewerkt op één van de criteria."
    return "Goed onderbouwd plan met breed draagvlak in de gemeente."
