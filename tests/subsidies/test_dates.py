"""One date field for every date in the subsidy forms (subsidies.dates)."""

import datetime

import pytest
from django import forms

from subsidies.dates import DateField
from subsidies.forms_allocation import GrantForm
from subsidies.forms_lifecycle import AdvanceForm, SendDecisionForm
from subsidies.forms_review import AssignReviewersForm as AssignForm
from subsidies.forms_worklist import AssignReviewersForm as BulkAssignForm
from subsidies.models import Application


class Form(forms.Form):
    on = DateField(label="Datum")


@pytest.mark.parametrize("typed", ["2024-05-31", "31-05-2024", "31/05/2024"])
def test_a_picked_or_typed_date_is_read(typed):
    form = Form({"on": typed})

    assert form.is_valid()
    assert form.cleaned_data["on"] == datetime.date(2024, 5, 31)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul een datum in."),
        ("31-02-2024", "Vul een geldige datum in, bijvoorbeeld 31-12-2024."),
        ("morgen", "Vul een geldige datum in, bijvoorbeeld 31-12-2024."),
        ("31-05-2204", "Vul een datum tussen 2000 en 2100 in."),
        ("01-01-1999", "Vul een datum tussen 2000 en 2100 in."),
    ],
)
def test_junk_is_a_dutch_form_error(typed, message):
    form = Form({"on": typed})

    assert not form.is_valid()
    assert form.errors == {"on": [message]}


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (GrantForm(), "decided_on"),
        (AdvanceForm(), "paid_on"),
        (SendDecisionForm(), "sent_on"),
        (AssignForm(), "due_on"),
        (BulkAssignForm(applications=Application.objects.none()), "due_on"),
    ],
)
def test_every_subsidy_form_reads_dates_the_same_way(form, field):
    assert isinstance(form.fields[field], DateField)
