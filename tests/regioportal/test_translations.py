"""Translations: the English catalogue has no gaps, the compiled catalogues match their
sources, pages render in English when English is chosen, and the admin gets the Dutch the
project adds to Django's and django-axes' own catalogues.

The catalogues are read with a small parser of our own, so the test needs neither gettext's
tools nor a PO library."""

import ast
import gettext
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import (
    AdministratorFactory,
    CoordinatorFactory,
    EnrolmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = [
    LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po",
    LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po",
    LOCALE_DIR / "nl" / "LC_MESSAGES" / "djangojs.po",
]
ENTRY_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def read_po(path):
    """The entries of a PO file as dicts: msgctxt, msgid, msgid_plural, msgstr (a list, one
    per plural form) and flags. Obsolete entries (#~) are left out: gettext ignores them."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": []}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
            elif match := ENTRY_LINE.match(line):
                field = match.group(1)
                value = ast.literal_eval(match.group(2))
                if field.startswith("msgstr"):
                    entry["msgstr"].append(value)
                else:
                    entry[field] = value
            elif line.startswith('"') and field:
                value = ast.literal_eval(line)
                if field.startswith("msgstr"):
                    entry["msgstr"][-1] += value
                else:
                    entry[field] += value
        if entry["msgid"]:  # not the header, not an obsolete or comment-only block
            entries.append(entry)
    return entries


def describe(entry):
    return entry["msgid"][:70]


# --- the catalogues ---------------------------------------------------------------------------


def test_the_parser_reads_plural_forms_flags_and_wrapped_lines(tmp_path):
    po = tmp_path / "test.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"Een lange "\n"zin %(n)s"\nmsgstr "A long"\n\n'
        'msgid "%(n)s dag"\nmsgid_plural "%(n)s dagen"\nmsgstr[0] "%(n)s day"\nmsgstr[1] ""\n\n'
        '#~ msgid "Oud"\n#~ msgstr ""\n',
        encoding="utf-8",
    )

    entries = read_po(po)

    assert [(e["msgid"], e["msgid_plural"], e["msgstr"], e["flags"]) for e in entries] == [
        ("Een lange zin %(n)s", None, ["A long"], ["fuzzy", "python-format"]),
        ("%(n)s dag", "%(n)s dagen", ["%(n)s day", ""], []),
    ]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: "/".join(path.parts[-3:]))
def test_every_entry_of_the_catalogue_is_translated_and_none_is_fuzzy(path):
    entries = read_po(path)

    untranslated = [describe(e) for e in entries if not all(e["msgstr"])]
    fuzzy = [describe(e) for e in entries if "fuzzy" in e["flags"]]

    assert entries
    assert untranslated == [], (
        f"{path} has untranslated entries: translate them, then run manage.py compilemessages"
    )
    assert fuzzy == [], f"{path} has fuzzy entries: check the translation, drop the flag"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: "/".join(path.parts[-3:]))
def test_the_committed_compiled_catalogue_matches_its_source(path):
    """The .mo files are committed: a translation added to the .po only reaches the pages
    once manage.py compilemessages has run (make test and make run do)."""
    with path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    stale = []
    for entry in read_po(path):
        if entry["msgctxt"] is not None:
            continue
        if entry["msgid_plural"] is None:
            found = [compiled.gettext(entry["msgid"])]
        else:
            found = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
        if found != entry["msgstr"]:
            stale.append(describe(entry))

    assert stale == []


def test_the_english_catalogue_keeps_placeholders():
    """A translation that loses or renames a %(name)s placeholder fails at run time."""

    def placeholders(text):
        return set(re.findall(r"%\(\w+\)[sd]", text))

    mismatched = []
    for entry in read_po(CATALOGUES[0]):
        if entry["msgid_plural"] is None:
            ok = placeholders(entry["msgstr"][0]) == placeholders(entry["msgid"])
        else:
            # The singular may leave the count out ("an error"); the plural must keep it.
            source = placeholders(entry["msgid"]) | placeholders(entry["msgid_plural"])
            ok = all(placeholders(form) <= source for form in entry["msgstr"]) and (
                placeholders(entry["msgstr"][-1]) == placeholders(entry["msgid_plural"])
            )
        if not ok:
            mismatched.append(describe(entry))

    assert mismatched == []


# --- pages in English ---------------------------------------------------------------------------


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def text_of(response):
    return unescape(response.content.decode())


def test_the_login_page_is_english_with_the_language_cookie(client):
    english(client)

    html = text_of(client.get("/inloggen/"))

    assert '<html lang="en">' in html
    assert "Log in with the user name and password of your Regioportal account." in html
    assert "Log in met de gebruikersnaam" not in html


def test_a_failed_login_is_answered_in_english(client):
    CoordinatorFactory(username="anne")
    english(client)

    html = text_of(client.post("/inloggen/", {"username": "anne", "password": "fout"}))

    assert "User name or password incorrect." in html
    assert "Gebruikersnaam of wachtwoord onjuist." not in html


def test_the_lockout_message_is_english(client):
    CoordinatorFactory(username="anne")
    english(client)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/inloggen/", {"username": "anne", "password": "fout"})
    response = client.post("/inloggen/", {"username": "anne", "password": "fout"})
    html = text_of(response)

    assert response.status_code == 429
    assert "Too many failed login attempts. Try again in 15 minutes." in html
    assert "To protect your account, logging in with this user name" in html
    assert "Te veel mislukte inlogpogingen" not in html


def test_my_account_page_is_english_after_choosing_english(client):
    client.force_login(CoordinatorFactory())

    switch = client.post("/taal/", {"language": "en", "next": "/account/"})
    html = text_of(client.get("/account/"))

    assert switch.status_code == 302
    assert "<h1>My account</h1>" in html
    assert "Two-step verification is off for your account." in html
    assert "Set up two-step verification" in html
    assert "Tweestapsverificatie" not in html


def test_the_participant_list_of_a_coordinator_is_english(client):
    enrolment = EnrolmentFactory(participant__first_name="Eva", participant__last_name="Boer")
    coordinator = CoordinatorFactory(programmes=[enrolment.programme])
    client.force_login(coordinator)
    client.post("/taal/", {"language": "en", "next": "/participants/"})

    # Without filters a coordinator lands on their own coachees; "?status=" shows every row.
    html = text_of(client.get("/participants/?status="))

    assert "Record outcome for the ticked participants" in html
    assert 'data-select-all-label="Select all participants on this page"' in html
    assert 'aria-label="Select Boer, Eva"' in html
    assert "aangevinkte deelnemers" not in html
    assert "Selecteer" not in html


# --- the admin's JavaScript in Dutch ---------------------------------------------------------


def test_the_admin_javascript_catalogue_has_the_two_box_selector_in_dutch(client):
    """Django's Dutch catalogue lacks these strings of SelectFilter2.js; the project adds them
    in locale/nl/LC_MESSAGES/djangojs.po, which the admin's JavaScriptCatalog merges in."""
    client.force_login(AdministratorFactory(is_staff=True))

    response = client.get("/beheer/jsi18n/", HTTP_ACCEPT_LANGUAGE="nl")
    script = response.content.decode()

    assert response.status_code == 200
    assert '"Choose all %s": "Alle %s kiezen"' in script
    assert '"Remove selected %s": "Geselecteerde %s verwijderen"' in script
    # Django's own Dutch is still there.
    assert '"Choose": "Kiezen"' in script


def test_the_admin_group_page_has_no_english_labels_that_a_catalogue_can_translate(client):
    """Django's Dutch lacks the app list's column headers, django-axes has no Dutch at all;
    locale/nl/LC_MESSAGES/django.po adds them. (The model names of django-otp are not
    translatable strings, so they stay English.)"""
    # A superuser: the Beheerder group's permissions come from a data migration, which a
    # transactional test run earlier in the same process has emptied.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = text_of(client.get("/beheer/auth/group/add/", HTTP_ACCEPT_LANGUAGE="nl"))

    assert '<th scope="col">Modelnaam</th>' in html
    assert '<th scope="col">Link om toe te voegen</th>' in html
    assert ">Axes | inlogpoging | bekijken</option>" in html
    assert "Model name" not in html
    assert "access attempt" not in html
