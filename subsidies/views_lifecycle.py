"""The lifecycle steps on the application page ("Onvolledig", "Voorschot betalen", "Bezwaar
registreren", …). Each step is one entry in :data:`STEPS`: its URL, who may take it (the
rule), when it is on offer (the status), its form and the domain function in
subsidies.lifecycle. The page's panel (subsidies/_lifecycle_actions.html) lists the steps
:func:`steps_on_offer` returns, so the panel and the views agree.

Thin views: the application through applications_visible_to (404 otherwise), the rule (403),
a form (a page with the form on GET; a step without input is a button that posts), the
domain function, a message, back to the application page."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import forms_lifecycle as forms
from . import lifecycle
from .enums import ApplicationStatus
from .models import Decision, Objection
from .rules import can
from .selectors import applications_visible_to
from .transitions import TransitionError

S = ApplicationStatus
HANDLE = "subsidies.handle_application"
DECIDE = "subsidies.decide"


@dataclass(frozen=True)
class Step:
    """One lifecycle step as the pages offer it."""

    name: str  # the URL name, without the "subsidies:" namespace
    route: str  # after "aanvragen/<reference>/"
    label: Any  # the button and the page title
    lead: Any  # what the step does, on its page
    rule: str
    form: type | None  # None: a button that posts
    # The domain function, called as act(subject, by=user, **form.cleaned_data).
    act: Callable
    done: Any  # the success message
    offered: Callable  # (subject, today, paid) -> bool: whether the panel offers it now
    subject: str = "application"  # or "decision", "objection": what the step acts on
    danger: bool = False


def _hersteltermijn_lapsed(application, today, paid):
    return (
        application.status == S.incomplete
        and application.completion_deadline is not None
        and application.completion_deadline < today
    )


def _may_pay(application, today, paid):
    return application.status in (S.granted, S.advance_paid) and (
        paid is None or paid < application.granted_amount
    )


def _objection_term_runs(decision, today, paid):
    return decision.sent_on is not None and today <= decision.objection_deadline


def _in(*statuses):
    def offered(application, today, paid):
        return application.status in statuses

    return offered


STEPS = [
    Step(
        name="application-start-review",
        route="in-beoordeling/",
        label=_("In beoordeling nemen"),
        lead=_("De aanvraag is volledig en gaat naar de beoordeling."),
        rule=HANDLE,
        form=None,
        act=lifecycle.start_review,
        done=_("De aanvraag is in beoordeling genomen."),
        offered=_in(S.received),
    ),
    Step(
        name="application-request-completion",
        route="onvolledig/",
        label=_("Om aanvulling vragen"),
        lead=_(
            "De aanvraag is onvolledig. De aanvrager krijgt een hersteltermijn; zolang die "
            "loopt, is de beslistermijn opgeschort (Awb 4:15)."
        ),
        rule=HANDLE,
        form=forms.RequestCompletionForm,
        act=lifecycle.request_completion,
        done=_("Het verzoek om aanvulling is vastgelegd; de beslistermijn is opgeschort."),
        offered=_in(S.received, S.in_review),
    ),
    Step(
        name="application-receive-completion",
        route="aanvulling/",
        label=_("Aanvulling ontvangen"),
        lead=_(
            "De aanvrager heeft de aanvraag aangevuld. De beslistermijn loopt weer, verlengd "
            "met de dagen dat hij was opgeschort."
        ),
        rule=HANDLE,
        form=forms.ReceiveCompletionForm,
        act=lifecycle.receive_completion,
        done=_("De aanvulling is vastgelegd; de beslistermijn loopt weer."),
        offered=_in(S.incomplete),
    ),
    Step(
        name="application-not-consider",
        route="buiten-behandeling/",
        label=_("Buiten behandeling stellen"),
        lead=_(
            "De hersteltermijn is ongebruikt verstreken. Het besluit de aanvraag buiten "
            "behandeling te stellen wordt vastgelegd (Awb 4:5)."
        ),
        rule=DECIDE,
        form=forms.NotConsiderForm,
        act=lifecycle.not_consider,
        done=_("De aanvraag is buiten behandeling gesteld."),
        offered=_hersteltermijn_lapsed,
        danger=True,
    ),
    Step(
        name="application-record-advice",
        route="advies/",
        label=_("Advies vastleggen"),
        lead=_("De beoordeling is klaar; de aanvraag gaat met het advies naar het besluit."),
        rule=HANDLE,
        form=forms.AdviceForm,
        act=lifecycle.record_advice,
        done=_("Het advies is vastgelegd."),
        offered=_in(S.in_review),
    ),
    Step(
        name="application-withdraw",
        route="intrekken/",
        label=_("Intrekking vastleggen"),
        lead=_("De aanvrager trekt de aanvraag in. Daarna wordt er niet meer op besloten."),
        rule=HANDLE,
        form=forms.WithdrawForm,
        act=lifecycle.withdraw,
        done=_("De intrekking van de aanvraag is vastgelegd."),
        offered=_in(*S.open()),
        danger=True,
    ),
    Step(
        name="application-pay-advance",
        route="voorschot/",
        label=_("Voorschot betalen"),
        lead=_(
            "Leg een betaald voorschot vast. Alle betalingen samen zijn ten hoogste het "
            "verleende bedrag."
        ),
        rule=HANDLE,
        form=forms.AdvanceForm,
        act=lifecycle.pay_advance,
        done=_("Het voorschot is vastgelegd."),
        offered=_may_pay,
    ),
    Step(
        name="application-receive-accountability",
        route="verantwoording/",
        label=_("Verantwoording ontvangen"),
        lead=_("De aanvrager heeft de activiteiten en kosten verantwoord."),
        rule=HANDLE,
        form=forms.AccountabilityForm,
        act=lifecycle.receive_accountability,
        done=_("De ontvangst van de verantwoording is vastgelegd."),
        offered=_in(S.granted, S.advance_paid),
    ),
    Step(
        name="application-settle",
        route="vaststellen/",
        label=_("Subsidie vaststellen"),
        lead=_("Stel het definitieve subsidiebedrag vast na de verantwoording."),
        rule=DECIDE,
        form=forms.SettleForm,
        act=lifecycle.settle,
        done=_("De subsidie is vastgesteld."),
        offered=_in(S.accountability),
    ),
    Step(
        name="application-send-decision",
        route="besluiten/<int:pk>/verzonden/",
        label=_("Verzending vastleggen"),
        lead=_(
            "Leg vast wanneer het besluit is verzonden. Daarmee staan de ingangsdatum en het "
            "einde van de bezwaartermijn (zes weken) vast."
        ),
        rule=HANDLE,
        form=forms.SendDecisionForm,
        act=lifecycle.send_decision,
        done=_("De verzending van het besluit is vastgelegd."),
        offered=lambda decision, today, paid: decision.sent_on is None,
        subject="decision",
    ),
    Step(
        name="application-register-objection",
        route="besluiten/<int:pk>/bezwaar/",
        label=_("Bezwaar registreren"),
        lead=_(
            "Registreer een bezwaar tegen dit besluit. Dat kan tot en met de laatste dag van "
            "de bezwaartermijn."
        ),
        rule=HANDLE,
        form=forms.ObjectionForm,
        act=lifecycle.register_objection,
        done=_("Het bezwaar is geregistreerd."),
        offered=_objection_term_runs,
        subject="decision",
    ),
    Step(
        name="application-decide-objection",
        route="bezwaren/<int:pk>/beslissen/",
        label=_("Beslissing op bezwaar vastleggen"),
        lead=_(
            "Leg de beslissing op het bezwaar vast. Is een bezwaar tegen een afwijzing "
            "gegrond, verleen de subsidie dan alsnog vanuit de aanvraag."
        ),
        rule=DECIDE,
        form=forms.DecideObjectionForm,
        act=lifecycle.decide_objection,
        done=_("De beslissing op het bezwaar is vastgelegd."),
        offered=lambda objection, today, paid: not objection.outcome,
        subject="objection",
    ),
]
BY_NAME = {step.name: step for step in STEPS}


# --- the panel ----------------------------------------------------------------------------


def steps_on_offer(user, application, subject=None, *, today=None, paid=None, checked=None):
    """The steps of :data:`STEPS` that ``user`` may take now on ``subject``: the application
    (the default), one of its decisions or one of its objections. ``paid`` is what was paid
    on the application (lifecycle.paid_total), for "Voorschot betalen". ``checked`` keeps
    the outcome of each rule for the application across calls (a dict), so a page with many
    decisions asks each rule once."""
    today = today or timezone.localdate()
    subject = application if subject is None else subject
    kind = {Decision: "decision", Objection: "objection"}.get(type(subject), "application")
    checked = {} if checked is None else checked

    def may(rule):
        if rule not in checked:
            checked[rule] = can(user, rule, application)
        return checked[rule]

    return [
        step
        for step in STEPS
        if step.subject == kind and step.offered(subject, today, paid) and may(step.rule)
    ]


# --- the views ----------------------------------------------------------------------------


def _list_url():
    try:
        return reverse("subsidies:application-list")
    except NoReverseMatch:
        return None


def _subject(application, step, pk):
    if step.subject == "decision":
        return get_object_or_404(application.decisions.all(), pk=pk)
    if step.subject == "objection":
        return get_object_or_404(application.objections.select_related("decision"), pk=pk)
    return application


def _view(step):
    @login_required
    def view(request, reference, pk=None):
        application = get_object_or_404(
            applications_visible_to(request.user).select_related("scheme", "applicant"),
            reference=reference,
        )
        if not can(request.user, step.rule, application):
            raise PermissionDenied
        subject = _subject(application, step, pk)
        back = application.get_absolute_url()
        if step.form is None:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return _act(request, step, subject, {}, back)
        if request.method == "POST":
            form = step.form(request.POST)
            if form.is_valid():
                try:
                    done = _act(request, step, subject, form.cleaned_data, back, raise_=True)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return done
        else:
            paid = lifecycle.paid_total(application) if step.offered is _may_pay else None
            if not step.offered(subject, timezone.localdate(), paid):
                messages.error(request, _not_now(application, step))
                return redirect(back)
            form = step.form()
        return render(
            request,
            "subsidies/lifecycle_step.html",
            {
                "application": application,
                "step": step,
                "subject": subject,
                "form": form,
                "back": back,
                "list_url": _list_url(),
            },
            status=400 if form.errors else 200,
        )

    view.__name__ = view.__qualname__ = step.name.replace("-", "_")
    return view


def _act(request, step, subject, data, back, *, raise_=False):
    """Run the step; a message and the redirect back. A step the state does not allow is a
    message on the application page; invalid input is raised for the form (``raise_``) or
    shown as a message."""
    try:
        step.act(subject, by=request.user, **data)
    except TransitionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        if raise_:
            raise
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, step.done)
    return redirect(back)


def _not_now(application, step):
    return _("“%(step)s” kan nu niet: de aanvraag heeft status “%(status)s”.") % {
        "step": step.label,
        "status": application.get_status_display(),
    }


urlpatterns = [
    path(f"aanvragen/<str:reference>/{step.route}", _view(step), name=step.name) for step in STEPS
]
