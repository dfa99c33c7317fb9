"""No page answers 500, whatever is typed into its address or posted to it, by any role.

The pages are found, not listed: every named URL pattern (the admin's included) is requested
with the key of an existing object and of one that does not exist; the query parameters a page
reads (recorded while it answers, plus the fields of its GET forms and the keys of its own
links) each get junk; and every form a page shows is posted empty, with junk in each field and
with junk in all fields at once. Every request runs in a savepoint that is rolled back, so
each one sees the same data. A view that another engineer adds is covered without a change
here."""

import datetime
import itertools
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404, QueryDict
from django.test import Client, TestCase
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.urls.converters import IntConverter

from participants import services
from participants.enums import EnrolmentStatus, Outcome
from participants.models import GroupActivity, ImportStatus, ParticipantImport
from programmes.enums import ActivityKind
from regioportal.roles import Role
from tests.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    EnrolmentFactory,
    FactsheetFactory,
    MunicipalityFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ProgrammeManagerFactory,
    ProgressEntryFactory,
    ReviewerFactory,
    SubsidyOfficerFactory,
    TrackFactory,
)

MISSING_PK = 987654321
ADMIN_PREFIX = "/beheer/"
# For each query parameter a page reads, one request per value.
JUNK = [
    "x",
    "-1",
    "99999999999999999999",
    "2023-13-45",
    "<script>alert(1)</script>",
    "'; drop table participants_participant; --",
    "\x00",
    "ü" * 3000,
    ["1", "x"],  # a repeated parameter
]
# For each field of a form, one post per value, the other fields as the page filled them in.
FIELD_JUNK = ["x", "-1", "99999999999999999999", "9999-12-31", "\x00", ["1", "x"]]
# And one post per value in every field at once.
FORM_JUNK = [*FIELD_JUNK, "0001-01-01", "31-02-2024", "<script>", "9" * 3000]
# The admin is Django's, and its pages are many and slow: fewer values there.
ADMIN_JUNK = ["x", "\x00"]
# Not requested (nor posted to): logging out ends the session the rest of the run needs, and a
# changed password the session's hash.
SKIPPED = ("logout", "password_change")


def named_patterns(resolver=None, namespace=""):
    """(URL name, pattern) of every named pattern, through the includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


class RecordedReads:
    """The query keys a view reads, recorded by wrapping QueryDict's read methods."""

    METHODS = ("get", "getlist", "__getitem__", "__contains__")

    def __init__(self):
        self.keys = set()
        self.originals = {}

    def __enter__(self):
        for name in self.METHODS:
            original = getattr(QueryDict, name)
            self.originals[name] = original

            def recording(query, key, *args, _original=original, **kwargs):
                self.keys.add(key)
                return _original(query, key, *args, **kwargs)

            setattr(QueryDict, name, recording)
        return self

    def __exit__(self, *exc_info):
        for name, original in self.originals.items():
            setattr(QueryDict, name, original)


class PageParser(HTMLParser):
    """The forms of a page (method, action, fields with their default values) and the query
    keys of the links that point at the page itself."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.forms = []
        self.link_keys = set()
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            link = urlsplit(attrs["href"])
            if link.path in ("", self.path):
                self.link_keys.update(key for key, _value in parse_qsl(link.query))
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": urlsplit(attrs.get("action") or self.path).path or self.path,
                "fields": {},
                "files": set(),
            }
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            return
        name, fields = attrs["name"], self._form["fields"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "file":
                self._form["files"].add(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields.setdefault(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "image"):
                fields.setdefault(name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            fields.setdefault(name, "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class RolledBack(Exception):
    """Ends a request's savepoint: every request sees the same data."""


def junk_upload():
    return SimpleUploadedFile("junk.csv", b"voornaam;achternaam\n\x00\xff;'; drop\n" * 3)


class NoServerErrorsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality = MunicipalityFactory()
        cls.coordinator = CoordinatorFactory(username="coordinator-500")
        programme = ProgrammeFactory(
            slug="programma-500", has_participants=True, members=[cls.coordinator]
        )
        programme.municipalities.add(municipality)
        track = TrackFactory(programme=programme)
        other_programme = ProgrammeFactory(slug="ander-programma-500", has_participants=True)
        participant = ParticipantFactory(municipality=municipality, email="deelnemer@example.nl")
        enrolment = EnrolmentFactory(
            participant=participant,
            programme=programme,
            track=track,
            coach=cls.coordinator,
            status=EnrolmentStatus.active,
            start_date=datetime.date(2024, 2, 1),
        )
        EnrolmentFactory(
            participant=participant,
            programme=programme,
            status=EnrolmentStatus.finished,
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2023, 6, 1),
            outcome=Outcome.paid_work,
            outcome_date=datetime.date(2023, 6, 1),
        )
        EnrolmentFactory(programme=other_programme)
        entry = ProgressEntryFactory(enrolment=enrolment, author=cls.coordinator)
        GroupActivity.objects.create(
            programme=programme,
            kind=ActivityKind.workshop,
            title="Sollicitatietraining",
            date=datetime.date(2024, 3, 1),
            author=cls.coordinator,
        )
        participant_import = ParticipantImport.objects.create(
            programme=programme,
            file="imports/deelnemers.csv",
            original_name="deelnemers.csv",
            status=ImportStatus.failed,
            total_rows=2,
            processed_rows=2,
            errors=[{"row": 2, "column": "geboortedatum", "message": "Ongeldige datum"}],
            uploaded_by=cls.coordinator,
        )
        FactsheetFactory(programme=programme)
        cls.users = {
            "anoniem": None,
            Role.coordinator.value: cls.coordinator,
            Role.reviewer.value: ReviewerFactory(),
            Role.subsidy_officer.value: SubsidyOfficerFactory(),
            Role.programme_manager.value: ProgrammeManagerFactory(),
            Role.administrator.value: AdministratorFactory(is_staff=True),
        }
        # Candidate values for the URL parameters: an existing object of every kind the
        # workspace's URLs name, and one that does not exist.
        cls.int_values = sorted(
            {participant.pk, enrolment.pk, entry.pk, participant_import.pk, MISSING_PK}
        )
        cls.str_values = [programme.slug, "csv", "xlsx", "json", "pdf", "bestaat-niet"]
        cls.add_subsidy_application()

    @classmethod
    def add_subsidy_application(cls):
        """An application of a scheme the subsidy officer handles, with a budget line, an
        attachment and a reviewer who declared no conflict (the application pages)."""
        from subsidies import allocation, lifecycle
        from subsidies import registration as subsidy_registration
        from subsidies.models import DecisionLetter, Lottery
        from tests.factories import ApplicationFactory, ReviewFactory, SchemeFactory
        from tests.subsidies.application_data import pdf_bytes, tender_for, upload

        officer = cls.users[Role.subsidy_officer.value]
        scheme = SchemeFactory(code="ZV-500", handlers=[officer])
        application = ApplicationFactory(reference="ZV-500-2024-001", tender=tender_for(scheme))
        application.budget_lines.create(description="Verbouwing", amount=1000)
        attachment = subsidy_registration.add_attachment(
            application, upload("plan.pdf", pdf_bytes()), "projectplan", by=officer
        )
        review = ReviewFactory(
            application=application,
            reviewer=cls.users[Role.reviewer.value],
            conflict_of_interest=False,
        )
        # A granted application with its decision, letter and an objection, and a lottery in
        # the tender: the pages about decisions, letters, rankings and lotteries.
        granted = ApplicationFactory(
            reference="ZV-500-2024-002", tender=application.tender, scheme=scheme
        )
        decision = allocation.grant(
            granted, amount=granted.requested_amount, by=officer, motivation="Goed plan."
        )
        letter = DecisionLetter.objects.create(decision=decision, requested_by=officer)
        lifecycle.register_objection(
            decision, by=officer, received_on=decision.decided_on, grounds="Te laag."
        )
        lottery = Lottery.objects.create(
            tender=application.tender,
            algorithm="sha256-sort-v1",
            seed_sha256="0" * 64,
            tied=[],
            remaining_budget=0,
        )
        cls.int_values = sorted(
            {
                *cls.int_values,
                attachment.pk,
                review.pk,
                application.tender.pk,
                decision.pk,
                letter.pk,
                lottery.pk,
            }
        )
        cls.str_values += [application.reference, granted.reference, scheme.code]

    def setUp(self):
        self.failures = []

    # --- requests -------------------------------------------------------------------------

    def request(self, client, method, path, data=None):
        """One request, in a savepoint that is rolled back afterwards; a 5xx (or an exception
        while streaming the body) is recorded as a failure."""
        try:
            with transaction.atomic():
                response = getattr(client, method)(path, data or {})
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                raise RolledBack
        except RolledBack:
            pass
        except Exception as error:  # noqa: BLE001 - every error is a finding
            self.fail_with(client, method, path, data, repr(error))
            return None
        if response.status_code >= 500:
            self.fail_with(client, method, path, data, response.status_code)
        return response

    def fail_with(self, client, method, path, data, what):
        shown = (
            {key: (value[:40] if isinstance(value, str) else value) for key, value in data.items()}
            if data
            else {}
        )
        self.failures.append(f"{client.role}: {method.upper()} {path} {shown!r} -> {what}")

    def client_for(self, role):
        client = Client(raise_request_exception=False)
        client.role = role
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    # --- what to request ------------------------------------------------------------------

    def paths(self):
        """Every named URL with each combination of candidate values for its parameters."""
        admin_models = {
            f"admin:{model._meta.app_label}_{model._meta.model_name}_": model
            for model in admin.site._registry
        }
        for name, pattern in named_patterns():
            if any(part in name for part in SKIPPED):
                continue
            converters = getattr(pattern.pattern, "converters", {})
            names = list(converters) or list(pattern.pattern.regex.groupindex)
            if not names:
                yield reverse(name)
                continue
            model = next((m for p, m in admin_models.items() if name.startswith(p)), None)
            choices = []
            for kwarg in names:
                if model is not None and kwarg == "object_id":
                    first = model._default_manager.order_by("pk").first()
                    choices.append([str(first.pk)] if first else [])
                    choices[-1].append(str(MISSING_PK))
                elif isinstance(converters.get(kwarg), IntConverter):
                    choices.append(self.int_values)
                elif name.startswith("admin:"):
                    choices.append([value for value in self.str_values if value != "csv"])
                else:
                    choices.append(self.str_values)
            for values in itertools.product(*choices):
                try:
                    yield reverse(name, kwargs=dict(zip(names, values, strict=True)))
                except NoReverseMatch:  # a value the pattern does not take
                    continue

    def check_role(self, role):
        client = self.client_for(role)
        posted_forms = set()
        for path in self.paths():
            with RecordedReads() as reads:
                response = self.request(client, "get", path)
                location = (
                    urlsplit(response["Location"])
                    if response and response.get("Location")
                    else None
                )
                if location and location.path == path:
                    # e.g. the participants list, which sends a coordinator to their own
                    # participants: the page is the one it redirects to.
                    response = self.request(client, "get", f"{path}?{location.query}")
            if response is None or response.status_code != 200:
                continue
            page = PageParser(path)
            if response.get("Content-Type", "").startswith("text/html"):
                page.feed(response.content.decode())
                # An empty post, unless one of the page's forms posts (empty, too) to it below.
                if not any(f["method"] == "post" and f["action"] == path for f in page.forms):
                    self.request(client, "post", path)
            keys = reads.keys | page.link_keys
            for form in page.forms:
                if form["method"] == "get" and form["action"] == path:
                    keys |= set(form["fields"])
            self.junk_parameters(client, path, keys - {"csrfmiddlewaretoken"})
            for form in page.forms:
                signature = (form["action"], tuple(sorted(form["fields"])))
                if form["method"] == "post" and signature not in posted_forms:
                    posted_forms.add(signature)
                    self.junk_form(client, form)

    def junk_parameters(self, client, path, keys):
        values = JUNK
        if path.startswith(ADMIN_PREFIX):
            if not path.endswith(("/change/", "/add/")):
                return  # the admin's changelists, index, app, delete and history pages
            values = ADMIN_JUNK
        for key in sorted(key for key in keys if isinstance(key, str)):
            for value in values:
                self.request(client, "get", path, {key: value})

    def junk_form(self, client, form):
        action, fields = form["action"], dict(form["fields"])
        fields.pop("csrfmiddlewaretoken", None)
        if self.skipped_action(action):
            return

        def uploads():
            return {name: junk_upload() for name in form["files"]}

        self.request(client, "post", action, {})
        if action.startswith(ADMIN_PREFIX):
            for value in ADMIN_JUNK:
                self.request(client, "post", action, dict.fromkeys(fields, value))
            return
        for name in [*fields, *form["files"]]:
            for value in FIELD_JUNK:
                self.request(client, "post", action, {**fields, **uploads(), name: value})
        for value in FORM_JUNK:
            self.request(client, "post", action, {**dict.fromkeys(fields, value), **uploads()})

    @staticmethod
    def skipped_action(action):
        try:
            match = resolve(action)
        except Http404:
            return True
        return any(part in (match.view_name or "") for part in SKIPPED)

    # --- the tests ------------------------------------------------------------------------

    def test_no_request_by_any_role_answers_a_server_error(self):
        for role in self.users:
            self.check_role(role)

        assert self.failures == [], "\n".join(self.failures)


# --- the cases that answered 500 before -----------------------------------------------------


@pytest.fixture
def coordinator_and_enrolments(db):
    coordinator = CoordinatorFactory()
    programme = ProgrammeFactory(has_participants=True, members=[coordinator])
    TrackFactory(programme=programme)
    participant = ParticipantFactory(last_name="Bakker")
    earlier = EnrolmentFactory(
        participant=participant,
        programme=programme,
        status=EnrolmentStatus.finished,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 6, 1),
        outcome=Outcome.paid_work,
        outcome_date=datetime.date(2023, 6, 1),
    )
    current = EnrolmentFactory(
        participant=participant, programme=programme, start_date=datetime.date(2024, 2, 1)
    )
    return coordinator, earlier, current


def edit_data(enrolment, **changes):
    participant = enrolment.participant
    return {
        "p-first_name": participant.first_name,
        "p-last_name": participant.last_name,
        "p-birth_year": participant.birth_year,
        "e-status": enrolment.status,
        "e-start_date": enrolment.start_date.isoformat(),
        **changes,
    }


def test_group_activity_with_a_track_that_is_not_a_number_is_not_found(
    client, coordinator_and_enrolments
):
    coordinator, _earlier, current = coordinator_and_enrolments
    client.force_login(coordinator)

    response = client.get(
        reverse("participants:group-activity"),
        {"programma": current.programme.slug, "traject": "x"},
    )

    assert response.status_code == 404


def test_adding_an_entry_to_an_enrolment_that_is_not_a_number_is_not_found(
    client, coordinator_and_enrolments
):
    coordinator, _earlier, current = coordinator_and_enrolments
    client.force_login(coordinator)

    response = client.post(
        reverse("participants:add-entry", args=[current.participant_id]),
        {"enrolment": "abc", "kind": ActivityKind.coaching, "date": "2024-03-01"},
    )

    assert (response.status_code, current.progress_entries.count()) == (404, 0)


def test_a_start_date_after_the_end_date_is_a_form_error(client, coordinator_and_enrolments):
    coordinator, earlier, _current = coordinator_and_enrolments
    client.force_login(coordinator)
    url = reverse("participants:edit", args=[earlier.participant_id])

    response = client.post(
        f"{url}?inschrijving={earlier.pk}", edit_data(earlier, **{"e-start_date": "2023-07-01"})
    )

    assert response.status_code == 200
    assert response.context["enrolment_form"].errors == {
        "start_date": ["De startdatum ligt na de einddatum van de inschrijving (01-06-2023)."]
    }
    earlier.refresh_from_db()
    assert earlier.start_date == datetime.date(2023, 1, 1)


@pytest.mark.parametrize(
    ("outcome", "start_date", "message"),
    [
        # Found in the browser: an ongoing enrolment with outcome "nog bezig" (an outcome
        # date, no end date) took a start date years after its outcome date.
        (
            Outcome.ongoing,
            "2024-12-01",
            "De startdatum ligt na de datum van de uitstroom (30-11-2024).",
        ),
        ("", "2999-01-01", "De startdatum ligt meer dan een jaar in de toekomst."),
    ],
)
def test_an_edited_start_date_after_the_outcome_or_far_ahead_is_a_form_error(
    client, coordinator_and_enrolments, outcome, start_date, message
):
    coordinator, _earlier, current = coordinator_and_enrolments
    if outcome:
        current.outcome, current.outcome_date = outcome, datetime.date(2024, 11, 30)
        current.save()
    client.force_login(coordinator)
    url = reverse("participants:edit", args=[current.participant_id])

    response = client.post(
        f"{url}?inschrijving={current.pk}", edit_data(current, **{"e-start_date": start_date})
    )

    assert response.status_code == 200
    assert response.context["enrolment_form"].errors == {"start_date": [message]}
    current.refresh_from_db()
    assert current.start_date == datetime.date(2024, 2, 1)


def test_the_domain_function_refuses_a_start_date_after_the_outcome(coordinator_and_enrolments):
    coordinator, earlier, _current = coordinator_and_enrolments
    earlier.end_date = None
    earlier.status = EnrolmentStatus.active
    earlier.outcome = Outcome.ongoing
    earlier.save()

    with pytest.raises(ValidationError) as error:
        services.update_enrolment(
            enrolment=earlier, by=coordinator, start_date=datetime.date(2023, 7, 1)
        )

    assert error.value.message_dict == {
        "start_date": ["De startdatum ligt na de datum van de uitstroom."]
    }


def test_a_start_date_of_another_enrolment_in_the_programme_is_a_form_error(
    client, coordinator_and_enrolments
):
    coordinator, _earlier, current = coordinator_and_enrolments
    client.force_login(coordinator)
    url = reverse("participants:edit", args=[current.participant_id])

    response = client.post(
        f"{url}?inschrijving={current.pk}", edit_data(current, **{"e-start_date": "2023-01-01"})
    )

    assert response.status_code == 200
    assert response.context["enrolment_form"].errors == {
        "start_date": [
            "De deelnemer heeft in dit programma al een inschrijving die op 01-01-2023 start."
        ]
    }
    current.refresh_from_db()
    assert current.start_date == datetime.date(2024, 2, 1)
