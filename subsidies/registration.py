"""Registering an application received by post, e-mail or eLoket, correcting what was
registered, and adding attachments. Each function checks the write rule itself
(subsidies.rules) and writes the audit entry on the application."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programmes.models import Organisation
from regioportal import audit
from regioportal.models import AuditAction
from regioportal.roles import Role, has_role
from regioportal.templatetags.portal import euro

from . import deadlines, files
from .enums import AllocationMethod, ApplicationStatus, AttachmentKind, Channel
from .models import Application, BudgetLine, ReferenceSequence
from .rules import require
from .transitions import lock

REFERENCE_DIGITS = 3
# The registered data an officer gives (and may correct while the application is open for
# completion); status, decisions and amounts granted change only through the lifecycle.
REGISTERED_FIELDS = (
    "applicant",
    "programme",
    "contact_name",
    "contact_email",
    "contact_phone",
    "title",
    "summary",
    "requested_amount",
    "co_financing",
    "de_minimis_declared",
    "channel",
    "received_on",
)
EDITABLE_STATUSES = (ApplicationStatus.received, ApplicationStatus.incomplete)
# How far back a receipt date may lie: older post is a typing error, not a registration.
RECEIPT_YEARS_BACK = 5


def next_reference(scheme, year):
    """The next zaaknummer of ``scheme`` in ``year``: ``ZV-2023-014``.

    The counter is a ReferenceSequence row, incremented under a row lock: two registrations
    at the same moment wait for each other, so numbers have neither gaps nor duplicates (the
    number belongs to the transaction that registers the application; if it rolls back, so
    does the counter). The row is created with INSERT … ON CONFLICT DO NOTHING first, so the
    first two registrations of a year cannot both try to create it. Must run inside
    ``transaction.atomic``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference() must run inside transaction.atomic().")
    ReferenceSequence.objects.bulk_create(
        [ReferenceSequence(scheme=scheme, year=year, last=0)], ignore_conflicts=True
    )
    sequence = ReferenceSequence.objects.select_for_update().get(scheme=scheme, year=year)
    while True:
        sequence.last += 1
        reference = f"{scheme.code}-{year}-{sequence.last:0{REFERENCE_DIGITS}d}"
        # A reference typed in elsewhere (an import, the admin) is skipped, never reused.
        if not Application.objects.filter(reference=reference).exists():
            break
    sequence.save(update_fields=["last"])
    return reference


def register_application(*, scheme, tender, by, data, budget_lines=(), attachments=()):
    """Register an application of ``scheme`` (in ``tender``, required for a tender scheme)
    with status ontvangen and return it.

    ``data`` holds the registered fields (see REGISTERED_FIELDS; ``received_time`` the moment
    of receipt on ``received_on`` if known; ``new_applicant`` = {name, kind, municipality}
    instead of ``applicant`` for an organisation not yet in the portal). ``budget_lines`` are
    {description, amount} dicts, ``attachments`` (kind, upload) pairs.

    Checks: the rule subsidies.register_application; the tender belongs to the scheme and was
    open at receipt; the requested amount lies within the scheme's minimum and maximum and
    within the budget minus co-financing. Sets the reference (:func:`next_reference`), the
    moment of receipt and the beslistermijn (subsidies.deadlines). Effects: the application,
    its budget lines and attachments, one audit entry (create) on the application.
    Raises ValidationError with Dutch messages keyed by field."""
    require(by, "subsidies.register_application", scheme)
    data = _clean_data(dict(data))
    received_on = data.pop("received_on")
    received_time = data.pop("received_time", None)
    new_applicant = data.pop("new_applicant", None)
    lines = _clean_lines(budget_lines)
    errors = {}
    if not scheme.is_active:
        errors.setdefault(None, []).append(_("Deze regeling is niet meer actief."))
    today = timezone.localdate()
    _check_receipt_date(errors, received_on, today)
    received_at, time_known = _moment_of_receipt(received_on, received_time, today)
    _check_tender(errors, scheme, tender, received_on, received_at, time_known)
    _check_amounts(
        errors, scheme, data.get("requested_amount"), data.get("co_financing") or 0, lines
    )
    checked = _check_attachments(errors, attachments)
    if new_applicant is None and data.get("applicant") is None:
        errors.setdefault("applicant", []).append(_("Kies de aanvrager of vul een nieuwe in."))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if new_applicant is not None:
            data["applicant"] = _applicant(new_applicant, by=by)
        application = Application.objects.create(
            reference=next_reference(scheme, received_on.year),
            scheme=scheme,
            tender=tender,
            status=ApplicationStatus.received,
            received_on=received_on,
            received_at=received_at,
            decision_deadline=deadlines.decision_deadline(received_on, weeks=scheme.decision_weeks),
            handler=by if by is not None and has_role(by, Role.subsidy_officer) else None,
            co_financing=data.pop("co_financing", None) or Decimal(0),
            channel=data.pop("channel", None) or Channel.eloket,
            **{name: value for name, value in data.items() if name in REGISTERED_FIELDS},
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(application=application, order=number, **line)
            for number, line in enumerate(lines, start=1)
        )
        stored = [
            files.store(application, upload, kind, result, by=by)
            for (kind, upload), result in checked
        ]
        changes = {
            name: [None, value]
            for name, value in audit.snapshot(
                application,
                ["scheme", "tender", *REGISTERED_FIELDS, "received_at", "decision_deadline"],
            ).items()
            if value not in (None, "")
        }
        if lines:
            changes["budget_lines"] = [None, budget_text(lines)]
        if stored:
            changes["attachments"] = [None, ", ".join(a.original_name for a in stored)]
        audit.record(
            actor=by,
            obj=application,
            action=AuditAction.create,
            changes=changes,
            reason=_("Aanvraag geregistreerd"),
        )
    return application


def update_application(application, *, by, data, budget_lines=None):
    """Correct the registered data of an application that is still ontvangen or onvolledig.

    ``data`` holds any of REGISTERED_FIELDS; ``budget_lines`` (when given) replaces the
    budget. A changed receipt date moves the beslistermijn (with the days it was suspended).
    Effects: one audit entry (update) with every changed field's old and new value; nothing
    when nothing changed. Raises ValidationError (Dutch) as register_application does."""
    require(by, "subsidies.handle_application", application)
    data = _clean_data({name: value for name, value in data.items() if name in REGISTERED_FIELDS})
    lines = None if budget_lines is None else _clean_lines(budget_lines)
    with transaction.atomic():
        current = lock(application)
        if current.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("Alleen een ontvangen of onvolledige aanvraag kan worden gewijzigd.")
            )
        old_lines = [
            {"description": line.description, "amount": line.amount}
            for line in current.budget_lines.all()
        ]
        errors = {}
        received_on = data.get("received_on", current.received_on)
        if received_on != current.received_on:
            _check_receipt_date(errors, received_on, timezone.localdate())
        if received_on != current.received_on and current.tender_id is not None:
            _check_tender(
                errors, current.scheme, current.tender, received_on, None, time_known=False
            )
        requested = data.get("requested_amount", current.requested_amount)
        co_financing = data.get("co_financing", current.co_financing) or Decimal(0)
        new_lines = old_lines if lines is None else lines
        # The amounts are checked when they change: a scheme's range may have changed since
        # the registration, which must not block correcting a telephone number.
        if (requested, co_financing, _line_values(new_lines)) != (
            current.requested_amount,
            current.co_financing,
            _line_values(old_lines),
        ):
            _check_amounts(errors, current.scheme, requested, co_financing, new_lines)
        if errors:
            raise ValidationError(errors)
        tracked = [*data, "received_at", "decision_deadline"]
        before = audit.snapshot(current, tracked)
        old_received_on = current.received_on
        for name, value in data.items():
            setattr(current, name, value)
        if current.co_financing is None:
            current.co_financing = Decimal(0)
        if received_on != old_received_on:
            _move_receipt(current, received_on)
        changes = audit.diff(before, current)
        if changes:
            current.save(update_fields=[*changes, "updated_at"])
        if lines is not None and _line_values(lines) != _line_values(old_lines):
            current.budget_lines.all().delete()
            BudgetLine.objects.bulk_create(
                BudgetLine(application=current, order=number, **line)
                for number, line in enumerate(lines, start=1)
            )
            changes["budget_lines"] = [budget_text(old_lines), budget_text(lines)]
        if changes:
            audit.record(actor=by, obj=current, action=AuditAction.update, changes=changes)
    return current


def add_attachment(application, upload, kind, *, by):
    """Check ``upload`` by its content (subsidies.files), store it privately and audit it on
    the application. Rule: subsidies.handle_application. Raises ValidationError (Dutch) for
    a file of a type not allowed or too large."""
    require(by, "subsidies.handle_application", application)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Kies een soort bijlage.")})
    checked = files.check_upload(upload)
    with transaction.atomic():
        attachment = files.store(application, upload, AttachmentKind(kind), checked, by=by)
        audit.record(
            actor=by,
            obj=application,
            action=AuditAction.update,
            changes={
                "attachments": [
                    None,
                    f"{attachment.original_name} ({attachment.get_kind_display()})",
                ]
            },
        )
    return attachment


def budget_text(lines):
    """A budget in one line for the audit log: "Personeel € 10.000; Materiaal € 2.500"."""
    return "; ".join(f"{line['description']} {euro(line['amount'])}" for line in lines)


def budget_total(lines):
    return sum((Decimal(line["amount"]) for line in lines), Decimal(0))


# --- checks -------------------------------------------------------------------------------------


CENT = Decimal("0.01")


def _money(value):
    """An amount as the database keeps it (two decimals), so that the audit log quotes the
    stored value."""
    return None if value is None else Decimal(value).quantize(CENT)


def _clean_data(data):
    for name in ("requested_amount", "co_financing"):
        if name in data:
            data[name] = _money(data[name])
    return data


def _clean_lines(budget_lines):
    return [
        {"description": line["description"].strip(), "amount": _money(line["amount"])}
        for line in budget_lines
    ]


def _line_values(lines):
    return [(line["description"], Decimal(line["amount"])) for line in lines]


def _check_receipt_date(errors, received_on, today):
    if received_on > today:
        errors.setdefault("received_on", []).append(_("De ontvangstdatum ligt in de toekomst."))
    elif received_on.year < today.year - RECEIPT_YEARS_BACK:
        errors.setdefault("received_on", []).append(
            _("De ontvangstdatum ligt meer dan %(years)s jaar terug.")
            % {"years": RECEIPT_YEARS_BACK}
        )


def _moment_of_receipt(received_on, received_time, today):
    """(received_at, whether the time of day is known). Without a time: now for an
    application received today, the start of the day otherwise."""
    if received_time is not None:
        moment = datetime.datetime.combine(received_on, received_time)
        return timezone.make_aware(moment), True
    if received_on == today:
        return timezone.now(), True
    return timezone.make_aware(datetime.datetime.combine(received_on, datetime.time.min)), False


def _move_receipt(application, received_on):
    if application.received_at is not None:
        time_of_day = timezone.localtime(application.received_at).time()
        application.received_at = timezone.make_aware(
            datetime.datetime.combine(received_on, time_of_day)
        )
    application.received_on = received_on
    application.decision_deadline = deadlines.decision_deadline(
        received_on, weeks=application.scheme.decision_weeks, paused=application.paused_days
    )


def _check_tender(errors, scheme, tender, received_on, received_at, time_known):
    if tender is None:
        if scheme.allocation_method == AllocationMethod.tender:
            errors.setdefault("tender", []).append(
                _("Kies de tenderronde waarin de aanvraag is ontvangen.")
            )
        return
    if tender.scheme_id != scheme.pk:
        errors.setdefault("tender", []).append(
            _("De tenderronde %(tender)s hoort niet bij de regeling %(scheme)s.")
            % {"tender": tender.name, "scheme": scheme.name}
        )
        return
    opens = timezone.localtime(tender.opens_at)
    closes = timezone.localtime(tender.closes_at)
    if time_known and received_at is not None:
        was_open = tender.opens_at <= received_at <= tender.closes_at
    else:  # only the day is known: any moment of it may have been within the round
        was_open = opens.date() <= received_on <= closes.date()
    if not was_open:
        errors.setdefault("tender", []).append(
            _(
                "De tenderronde %(tender)s was niet open toen de aanvraag binnenkwam "
                "(open van %(opens)s tot en met %(closes)s)."
            )
            % {
                "tender": tender.name,
                "opens": date_format(opens, "j F Y H:i"),
                "closes": date_format(closes, "j F Y H:i"),
            }
        )


def _check_amounts(errors, scheme, requested, co_financing, lines):
    if requested is None:
        errors.setdefault("requested_amount", []).append(_("Vul het aangevraagde bedrag in."))
        return
    requested, co_financing = Decimal(requested), Decimal(co_financing)
    if requested <= 0:
        errors.setdefault("requested_amount", []).append(
            _("Het aangevraagde bedrag moet groter zijn dan nul.")
        )
    if scheme.min_amount is not None and requested < scheme.min_amount:
        errors.setdefault("requested_amount", []).append(
            _("Het aangevraagde bedrag is lager dan het minimum van de regeling (%(min)s).")
            % {"min": euro(scheme.min_amount)}
        )
    if scheme.max_amount is not None and requested > scheme.max_amount:
        errors.setdefault("requested_amount", []).append(
            _("Het aangevraagde bedrag is hoger dan het maximum van de regeling (%(max)s).")
            % {"max": euro(scheme.max_amount)}
        )
    if co_financing < 0:
        errors.setdefault("co_financing", []).append(_("De cofinanciering kan niet negatief zijn."))
    if not lines:
        # A missing budget makes the application incomplete, not unregistrable: the officer
        # asks for it (hersteltermijn).
        return
    total = budget_total(lines)
    if co_financing > total:
        errors.setdefault("co_financing", []).append(
            _("De cofinanciering is hoger dan de begroting (%(total)s).") % {"total": euro(total)}
        )
    elif requested > total - co_financing:
        errors.setdefault("requested_amount", []).append(
            _(
                "Het aangevraagde bedrag is hoger dan de begroting (%(total)s) min de "
                "cofinanciering (%(co)s): %(rest)s."
            )
            % {
                "total": euro(total),
                "co": euro(co_financing),
                "rest": euro(total - co_financing),
            }
        )


def _check_attachments(errors, attachments):
    checked = []
    for kind, upload in attachments:
        try:
            checked.append(((AttachmentKind(kind), upload), files.check_upload(upload)))
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)
    return checked


def _applicant(new_applicant, *, by):
    """The organisation named in the registration, created when the portal does not know it
    yet (matched on its name, case-insensitively)."""
    name = new_applicant["name"].strip()
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    organisation = Organisation.objects.create(
        name=name,
        kind=new_applicant["kind"],
        municipality=new_applicant.get("municipality"),
    )
    audit.record(
        actor=by, obj=organisation, action=AuditAction.create, changes={"name": [None, name]}
    )
    return organisation
