"""Creating and changing subsidy schemes, their criteria and tenders.

Who: the Beheerder, or a Subsidiebehandelaar who handles the scheme (subsidies.rules
``add_scheme``, ``edit_scheme``, ``edit_tender``); only the Beheerder sets a scheme's handlers.
Every function checks its rule itself, validates what the database cannot (Dutch messages in
a ValidationError keyed by field), and audits each change on the scheme or the tender with
its old and new values.

A tender's ceiling changes only through :func:`change_ceiling`, with a reason, under a row
lock on the tender: subsidies.allocation grants under the same lock, so a grant and a ceiling
change never interleave.
"""

import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regioportal import audit
from regioportal.models import AuditAction
from regioportal.roles import Role, has_role
from regioportal.templatetags.portal import euro

from .enums import AllocationMethod
from .models import Application, Criterion, Scheme, Score, Tender
from .rules import require

SCHEME_FIELDS = [
    "code",
    "name",
    "description",
    "line",
    "allocation_method",
    "decision_weeks",
    "completion_weeks",
    "min_amount",
    "max_amount",
    "budget",
    "min_total_score",
    "is_de_minimis",
    "is_active",
]
CRITERION_FIELDS = ["name", "description", "weight", "max_points", "min_points"]
# The fields of a criterion that reviews have scored against: fixed once a score exists.
SCORED_FIELDS = ["weight", "max_points", "min_points"]
TENDER_FIELDS = ["name", "opens_at", "closes_at", "reserve"]

# A scheme's code starts its applications' references (ZV-2023-014) and its page's address.
CODE = re.compile(r"[A-Z0-9]+(-[A-Z0-9]+)*")


DUPLICATE_CODE = gettext_lazy("Er is al een regeling met deze code.")
DUPLICATE_TENDER = gettext_lazy("Deze regeling heeft al een tender met deze naam.")


@contextlib.contextmanager
def _refusing_duplicates(field, message):
    """Two people saving the same code (or tender name) at the same moment both pass the
    check; the database's unique constraint refuses the second, who gets the form's message
    instead of an error page."""
    try:
        yield
    except IntegrityError:
        raise ValidationError({field: message}) from None


@dataclass
class CriterionRow:
    """One criterion as submitted: ``criterion`` is the existing one (None for a new one);
    ``data`` holds CRITERION_FIELDS; ``delete`` removes it."""

    criterion: Criterion | None
    data: dict = field(default_factory=dict)
    delete: bool = False


def scored_criterion_ids(scheme):
    """Ids of the scheme's criteria that a review has scored."""
    if scheme.pk is None:
        return frozenset()
    return frozenset(
        Score.objects.filter(criterion__scheme=scheme).values_list("criterion_id", flat=True)
    )


def check_code(code):
    """A scheme code as references and addresses need it: capitals, digits and hyphens."""
    if not CODE.fullmatch(code or ""):
        raise ValidationError(
            {
                "code": _(
                    "Gebruik voor de code hoofdletters, cijfers en koppeltekens, bijvoorbeeld ZV "
                    "of PEV-2."
                )
            }
        )


def check_criteria(rows, *, allocation_method, min_total_score, scored=frozenset()):
    """Whether the criteria, as they will be after saving, make sense together. Raises a
    ValidationError keyed ``criteria`` (about the set) with Dutch messages."""
    errors = []
    kept = [row for row in rows if not row.delete]
    names = {}
    for row in kept:
        key = " ".join(str(row.data.get("name", "")).split()).casefold()
        if key in names:
            errors.append(
                _("Twee criteria heten „%(name)s”; geef elk criterium een eigen naam.")
                % {"name": row.data["name"]}
            )
        names[key] = row
    for row in kept:
        low, high = row.data.get("min_points"), row.data.get("max_points")
        if low is not None and high is not None and low > high:
            errors.append(
                _("Bij „%(name)s” is de minimumscore (%(low)s) hoger dan het maximum (%(high)s).")
                % {"name": row.data["name"], "low": low, "high": high}
            )
    for row in rows:
        if row.criterion is not None and row.criterion.pk in scored:
            if row.delete:
                errors.append(
                    _("„%(name)s” is al gebruikt in beoordelingen en kan niet worden verwijderd.")
                    % {"name": row.criterion.name}
                )
            elif any(row.data.get(name) != getattr(row.criterion, name) for name in SCORED_FIELDS):
                errors.append(
                    _(
                        "„%(name)s” is al gebruikt in beoordelingen: de weging en de punten "
                        "liggen vast."
                    )
                    % {"name": row.criterion.name}
                )
    total_weight = sum((Decimal(row.data.get("weight") or 0) for row in kept), Decimal(0))
    if kept and total_weight <= 0:
        errors.append(
            _("Geef ten minste één criterium een weging groter dan 0: de weging telt op tot nul.")
        )
    if allocation_method == AllocationMethod.tender and not kept:
        errors.append(
            _(
                "Een tender rangschikt de aanvragen op hun gewogen score: geef de regeling ten "
                "minste één beoordelingscriterium."
            )
        )
    if min_total_score is not None and kept and total_weight > 0:
        highest = sum(
            (Decimal(row.data.get("weight") or 0) * (row.data.get("max_points") or 0))
            for row in kept
        )
        if min_total_score > highest:
            errors.append(
                _(
                    "De minimale gewogen totaalscore (%(minimum)s) is hoger dan de hoogst "
                    "haalbare gewogen score (%(highest)s)."
                )
                % {"minimum": _plain_number(min_total_score), "highest": _plain_number(highest)}
            )
    if errors:
        raise ValidationError({"criteria": errors})


def _plain_number(value):
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _quantized(model, data, fields):
    """The ``fields`` of ``data`` as the database gives them back (250000 as 250000.00, a
    moment in UTC), so that a save without changes compares equal and the audit log shows
    stored values."""
    result = {}
    for name in fields:
        if name not in data:
            continue
        value, places = data[name], getattr(model._meta.get_field(name), "decimal_places", None)
        if isinstance(value, Decimal) and places is not None:
            value = value.quantize(Decimal(1).scaleb(-places))
        elif isinstance(value, datetime) and timezone.is_aware(value):
            value = value.astimezone(UTC)
        result[name] = value
    return result


def _criterion_summary(data):
    """A criterion's values for the audit log (the name is in the entry's key)."""
    return {name: audit.plain(data.get(name)) for name in CRITERION_FIELDS if name != "name"}


def _handler_names(users):
    return sorted(user.get_username() for user in users)


def eligible_handlers():
    """The users who may handle a scheme: active, with the Subsidiebehandelaar role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.subsidy_officer)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _check_scheme(data, *, scheme=None):
    check_code(data.get("code"))
    if scheme is not None and data["code"] != scheme.code and _has_applications(scheme):
        raise ValidationError(
            {
                "code": _(
                    "De regeling heeft al aanvragen met zaaknummers die met %(code)s beginnen: "
                    "de code ligt vast."
                )
                % {"code": scheme.code}
            }
        )
    duplicate = Scheme.objects.filter(code=data["code"])
    if scheme is not None:
        duplicate = duplicate.exclude(pk=scheme.pk)
    if duplicate.exists():
        raise ValidationError({"code": DUPLICATE_CODE})
    low, high = data.get("min_amount"), data.get("max_amount")
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"max_amount": _("Het maximumbedrag is lager dan het minimumbedrag.")}
        )


def _has_applications(scheme):
    return Application.objects.filter(scheme=scheme).exists()


def create_scheme(*, by, data, criteria=(), handlers=None):
    """A new scheme with its criteria. A Subsidiebehandelaar who creates one handles it
    (otherwise they could not change what they made); the Beheerder chooses its handlers.
    Audited on the scheme (action create)."""
    require(by, "subsidies.add_scheme")
    data = _quantized(Scheme, data, SCHEME_FIELDS)
    rows = _quantized_rows(criteria)
    _check_scheme(data)
    check_criteria(
        rows,
        allocation_method=data.get("allocation_method"),
        min_total_score=data.get("min_total_score"),
    )
    if handlers is not None and by is not None:
        require(by, "subsidies.edit_scheme_handlers")
    with _refusing_duplicates("code", DUPLICATE_CODE), transaction.atomic():
        scheme = Scheme(**{name: data[name] for name in SCHEME_FIELDS if name in data})
        scheme.save()
        changes = {
            name: [None, value]
            for name, value in audit.snapshot(scheme, SCHEME_FIELDS).items()
            if value not in (None, "")
        }
        for order, row in enumerate((row for row in rows if not row.delete), start=1):
            Criterion.objects.create(
                scheme=scheme, order=order, **{name: row.data[name] for name in CRITERION_FIELDS}
            )
            changes[f"criterion:{row.data['name']}"] = [None, _criterion_summary(row.data)]
        chosen = list(handlers or [])
        if handlers is None and by is not None and has_role(by, Role.subsidy_officer):
            chosen = [by]
        _check_handlers(chosen)
        if chosen:
            scheme.handlers.set(chosen)
            changes["handlers"] = [[], _handler_names(chosen)]
        audit.record(actor=by, obj=scheme, action=AuditAction.create, changes=changes)
    _forget_handled_schemes(by)
    return scheme


def update_scheme(scheme, *, by, data, criteria=None, handlers=None):
    """Change a scheme, its criteria (``criteria``: CriterionRow for every criterion, None to
    leave them alone) and, for the Beheerder, its handlers (None: unchanged). Criteria that
    reviews scored keep their weight and points and cannot be removed. Audited on the scheme
    with the old and new value of each changed field and criterion; nothing changed, nothing
    recorded."""
    require(by, "subsidies.edit_scheme", scheme)
    if handlers is not None and by is not None:
        require(by, "subsidies.edit_scheme_handlers")
    with _refusing_duplicates("code", DUPLICATE_CODE), transaction.atomic():
        # Two people saving the same scheme: the second one works on the first one's result.
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        merged = {name: getattr(scheme, name) for name in SCHEME_FIELDS}
        merged.update(_quantized(Scheme, data, SCHEME_FIELDS))
        _check_scheme(merged, scheme=scheme)
        existing = {criterion.pk: criterion for criterion in scheme.criteria.all()}
        rows = _complete_rows(None if criteria is None else _quantized_rows(criteria), existing)
        check_criteria(
            rows,
            allocation_method=merged["allocation_method"],
            min_total_score=merged["min_total_score"],
            scored=scored_criterion_ids(scheme),
        )
        before = audit.snapshot(scheme, SCHEME_FIELDS)
        for name in SCHEME_FIELDS:
            setattr(scheme, name, merged[name])
        changes = audit.diff(before, scheme)
        if changes:
            scheme.save(update_fields=list(SCHEME_FIELDS))
        if criteria is not None:
            changes.update(_save_criteria(scheme, rows))
        if handlers is not None:
            changes.update(_save_handlers(scheme, handlers))
        if changes:
            audit.record(actor=by, obj=scheme, action=AuditAction.update, changes=changes)
    return scheme


def _quantized_rows(criteria):
    return [
        CriterionRow(
            criterion=row.criterion,
            data=_quantized(Criterion, row.data, CRITERION_FIELDS),
            delete=row.delete,
        )
        for row in criteria
    ]


def _complete_rows(criteria, existing):
    """The submitted rows, each existing criterion matched to the locked scheme's own (a row
    for a criterion of another scheme is refused), and the criteria the rows leave out kept
    as they are."""
    if criteria is None:
        return [
            CriterionRow(criterion=c, data={n: getattr(c, n) for n in CRITERION_FIELDS})
            for c in existing.values()
        ]
    rows, seen = [], set()
    for row in criteria:
        if row.criterion is not None:
            if row.criterion.pk not in existing or row.criterion.pk in seen:
                raise ValidationError(
                    {"criteria": [_("Dit criterium hoort niet bij de regeling.")]}
                )
            seen.add(row.criterion.pk)
            row = CriterionRow(
                criterion=existing[row.criterion.pk], data=row.data, delete=row.delete
            )
        rows.append(row)
    for pk, criterion in existing.items():
        if pk not in seen:
            rows.append(
                CriterionRow(
                    criterion=criterion, data={n: getattr(criterion, n) for n in CRITERION_FIELDS}
                )
            )
    return rows


def _save_criteria(scheme, rows):
    changes = {}
    for row in rows:
        if row.delete and row.criterion is not None:
            changes[f"criterion:{row.criterion.name}"] = [
                _criterion_summary({n: getattr(row.criterion, n) for n in CRITERION_FIELDS}),
                None,
            ]
            row.criterion.delete()
    kept = [row for row in rows if not row.delete]
    # A renamed criterion may take a name another one gives up in the same save: park the
    # renamed ones under names no criterion has first (names are unique per scheme).
    renamed = [
        row for row in kept if row.criterion is not None and row.criterion.name != row.data["name"]
    ]
    for row in renamed:
        Criterion.objects.filter(pk=row.criterion.pk).update(name=f"~{row.criterion.pk}~")
    for order, row in enumerate(kept, start=1):
        if row.criterion is None:
            Criterion.objects.create(
                scheme=scheme, order=order, **{n: row.data[n] for n in CRITERION_FIELDS}
            )
            changes[f"criterion:{row.data['name']}"] = [None, _criterion_summary(row.data)]
            continue
        criterion = row.criterion
        old = {n: getattr(criterion, n) for n in CRITERION_FIELDS}
        for name in CRITERION_FIELDS:
            setattr(criterion, name, row.data[name])
        criterion.order = order
        criterion.save(update_fields=[*CRITERION_FIELDS, "order"])
        if old["name"] != criterion.name:
            changes[f"criterion:{old['name']}"] = [old["name"], criterion.name]
        if _criterion_summary(old) != _criterion_summary(row.data):
            changes[f"criterion:{criterion.name}"] = [
                _criterion_summary(old),
                _criterion_summary(row.data),
            ]
    return changes


def _check_handlers(users):
    for user in users:
        if not has_role(user, Role.subsidy_officer):
            raise ValidationError(
                {
                    "handlers": _("%(name)s heeft de rol Subsidiebehandelaar niet.")
                    % {"name": user.get_full_name() or user.get_username()}
                }
            )


def _save_handlers(scheme, handlers):
    handlers = list(handlers)
    _check_handlers(handlers)
    old = list(scheme.handlers.all())
    if {user.pk for user in old} == {user.pk for user in handlers}:
        return {}
    scheme.handlers.set(handlers)
    for user in [*old, *handlers]:
        _forget_handled_schemes(user)
    return {"handlers": [_handler_names(old), _handler_names(handlers)]}


def set_handlers(scheme, handlers, *, by):
    """Who handles the scheme (Beheerder only). Audited on the scheme."""
    return update_scheme(scheme, by=by, data={}, handlers=handlers)


def _forget_handled_schemes(user):
    # subsidies.rules.handled_scheme_ids keeps the ids on the user object for the request.
    if user is not None:
        user.__dict__.pop("_regioportal_handled_schemes", None)


# Tenders --------------------------------------------------------------------------------------


def _check_tender(data, *, scheme, ceiling, tender=None):
    errors = {}
    opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("De tender moet sluiten na het moment waarop hij opent.")
    if ceiling is None or ceiling <= 0:
        errors["ceiling"] = _("Het subsidieplafond moet groter zijn dan € 0.")
    reserve = data.get("reserve") or Decimal(0)
    if reserve < 0:
        errors["reserve"] = _("De reserve kan niet negatief zijn.")
    elif ceiling is not None and reserve > ceiling:
        errors["reserve"] = _("De reserve is groter dan het subsidieplafond (%(ceiling)s).") % {
            "ceiling": euro(ceiling)
        }
    elif (
        tender is not None and reserve > tender.reserve and reserve > ceiling - tender.granted_total
    ):
        errors["reserve"] = _(
            "Er is al %(granted)s verleend van het plafond van %(ceiling)s: de reserve kan niet "
            "hoger worden dan %(room)s."
        ) % {
            "granted": euro(tender.granted_total),
            "ceiling": euro(ceiling),
            "room": euro(max(ceiling - tender.granted_total, tender.reserve)),
        }
    duplicate = Tender.objects.filter(scheme=scheme, name=data.get("name"))
    if tender is not None:
        duplicate = duplicate.exclude(pk=tender.pk)
    if duplicate.exists():
        errors["name"] = DUPLICATE_TENDER
    if errors:
        raise ValidationError(errors)


def create_tender(scheme, *, by, data):
    """A new tender round of ``scheme`` (data: TENDER_FIELDS and ``ceiling``). Audited on the
    tender (action create)."""
    require(by, "subsidies.edit_tender", Tender(scheme=scheme))
    data = _quantized(Tender, data, [*TENDER_FIELDS, "ceiling"])
    ceiling = data.get("ceiling")
    _check_tender(data, scheme=scheme, ceiling=ceiling)
    with _refusing_duplicates("name", DUPLICATE_TENDER), transaction.atomic():
        tender = Tender.objects.create(
            scheme=scheme,
            ceiling=ceiling,
            **{name: data[name] for name in TENDER_FIELDS if name in data},
        )
        audit.record(
            actor=by,
            obj=tender,
            action=AuditAction.create,
            changes={
                name: [None, value]
                for name, value in audit.snapshot(
                    tender, ["scheme", *TENDER_FIELDS, "ceiling"]
                ).items()
            },
        )
    return tender


def update_tender(tender, *, by, data):
    """Change a tender's name, opening and closing moment and reserve (the ceiling changes
    through :func:`change_ceiling`). A reserve can only grow within what is not yet granted.
    Audited on the tender."""
    require(by, "subsidies.edit_tender", tender)
    with _refusing_duplicates("name", DUPLICATE_TENDER), transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("scheme").get(pk=tender.pk)
        data = _quantized(Tender, data, TENDER_FIELDS)
        merged = {name: data.get(name, getattr(tender, name)) for name in TENDER_FIELDS}
        _check_tender(merged, scheme=tender.scheme, ceiling=tender.ceiling, tender=tender)
        before = audit.snapshot(tender, TENDER_FIELDS)
        for name, value in merged.items():
            setattr(tender, name, value)
        changes = audit.diff(before, tender)
        if changes:
            tender.save(update_fields=TENDER_FIELDS)
            audit.record(actor=by, obj=tender, action=AuditAction.update, changes=changes)
    return tender


def change_ceiling(tender, *, new_ceiling, reason, by):
    """Set the tender's subsidieplafond to ``new_ceiling``, for ``reason`` (required).

    Locks the tender row first (subsidies.allocation grants under the same lock), then
    refuses a ceiling below what is already granted or below the reserve. The old and new
    ceiling and the reason are audited on the tender. The same ceiling again changes and
    records nothing."""
    require(by, "subsidies.edit_tender", tender)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van de wijziging van het plafond.")})
    if new_ceiling is None or new_ceiling <= 0:
        raise ValidationError({"new_ceiling": _("Het subsidieplafond moet groter zijn dan € 0.")})
    new_ceiling = _quantized(Tender, {"ceiling": Decimal(new_ceiling)}, ["ceiling"])["ceiling"]
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        if new_ceiling == tender.ceiling:
            return tender
        if new_ceiling < tender.granted_total:
            raise ValidationError(
                {
                    "new_ceiling": _(
                        "Er is al %(granted)s verleend: het plafond kan niet lager worden dan "
                        "dat bedrag."
                    )
                    % {"granted": euro(tender.granted_total)}
                }
            )
        if new_ceiling < tender.reserve:
            raise ValidationError(
                {
                    "new_ceiling": _(
                        "Het plafond kan niet lager worden dan de reserve voor bezwaar "
                        "(%(reserve)s)."
                    )
                    % {"reserve": euro(tender.reserve)}
                }
            )
        old = tender.ceiling
        tender.ceiling = new_ceiling
        tender.save(update_fields=["ceiling"])
        audit.record(
            actor=by,
            obj=tender,
            action=AuditAction.update,
            changes={"ceiling": [audit.plain(old), audit.plain(new_ceiling)]},
            reason=reason,
        )
    return tender
