"""One way to read an amount in euros in every subsidy form (subsidies.amounts)."""

from decimal import Decimal

import pytest
from django import forms

from subsidies.amounts import AmountField, dutch_amount, parse_amount
from subsidies.forms_allocation import GrantForm
from subsidies.forms_applications import BudgetLineForm
from subsidies.forms_lifecycle import AdvanceForm, SettleForm
from subsidies.forms_schemes import TenderForm


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12500", "12500"),
        ("12.500", "12500"),
        ("12.500,50", "12500.50"),
        ("12.500,5", "12500.5"),
        ("€ 12 500", "12500"),
        ("€\u00a012.500,-", "12500"),
        ("12.500,--", "12500"),
        ("12500,50", "12500.50"),
        ("12500.50", "12500.50"),
        ("12.50", "12.50"),
        ("1.234.567,89", "1234567.89"),
        ("0", "0"),
        ("-5", "-5"),
        ("12,345", "12.345"),  # read; the form says two digits after the comma at most
    ],
)
def test_what_people_type_is_read_as_the_amount_they_mean(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed",
    ["x", "12.5000", "1.23.456", "12.500.5", "1,2,3", "--5", "12e3", "NaN", "Infinity", "€", ","],
)
def test_what_is_no_amount_is_none(typed):
    assert parse_amount(typed) is None


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("12500", "12.500"),
        ("12500.50", "12.500,50"),
        ("0.05", "0,05"),
        ("999", "999"),
        ("1234567.80", "1.234.567,80"),
        ("-1500", "-1.500"),
    ],
)
def test_a_form_shows_an_amount_in_dutch_notation_that_reads_back_the_same(amount, shown):
    assert dutch_amount(Decimal(amount)) == shown
    assert parse_amount(shown) == Decimal(amount)


INVALID = "Vul een bedrag in euro’s in, bijvoorbeeld 12.500 of 12.500,50."
TWO_DIGITS = "Vul een bedrag in met ten hoogste twee cijfers na de komma."


class Form(forms.Form):
    amount = AmountField(label="Bedrag")
    positive = AmountField(label="Positief", positive=True, required=False)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"amount": "x"}, {"amount": [INVALID]}),
        ({"amount": ""}, {"amount": ["Vul een bedrag in."]}),
        ({"amount": "12,345"}, {"amount": [TWO_DIGITS]}),
        ({"amount": "9" * 13}, {"amount": ["Dit bedrag is te groot."]}),
        ({"amount": "9" * 3000}, {"amount": ["Dit bedrag is te groot."]}),
        ({"amount": "-1"}, {"amount": ["Het bedrag kan niet negatief zijn."]}),
        ({"amount": "1", "positive": "0"}, {"positive": ["Het bedrag moet groter zijn dan nul."]}),
        ({"amount": "1", "positive": "-3"}, {"positive": ["Het bedrag moet groter zijn dan nul."]}),
    ],
)  # fmt: skip
def test_junk_is_a_dutch_form_error(data, errors):
    form = Form(data)

    assert not form.is_valid()
    assert form.errors == errors


def test_the_largest_amount_a_money_column_holds_is_accepted():
    form = Form({"amount": "999.999.999.999,99"})

    assert form.is_valid()
    assert form.cleaned_data["amount"] == Decimal("999999999999.99")


def test_a_text_input_for_any_notation():
    html = str(Form(initial={"amount": Decimal("12500.50")})["amount"])

    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="12.500,50"' in html
    assert "step=" not in html


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (BudgetLineForm, "amount"),
        (AdvanceForm, "amount"),
        (SettleForm, "amount"),
        (GrantForm, "amount"),
        (TenderForm, "ceiling"),
    ],
)
def test_every_subsidy_form_reads_amounts_the_same_way(form_class, field):
    form = form_class()

    assert isinstance(form.fields[field], AmountField)
    assert form.fields[field].to_python("12.500,-") == Decimal("12500")
