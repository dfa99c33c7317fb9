"""Dutch personal names: the tussenvoegsel (surname prefix) and the normalised form that the
participants list sorts and searches on.

A Dutch surname such as "de Boer" or "van der Veen" is stored as voornaam, tussenvoegsel and
achternaam ("Eva", "de", "Boer"). Dutch practice (NEN 1888, as phone books and municipal
registers do it) sorts on the achternaam without the prefix: "de Boer" under B, and writes
the name in a list as "Boer, Eva de". In a sentence the name is "Eva de Boer"."""

import unicodedata

# Longest first, so "van der" wins over "van". Lower case; matched case-insensitively.
SURNAME_PREFIXES = sorted(
    [
        "de", "den", "der", "het", "'t", "te", "ten", "ter", "van", "van de", "van den",
        "van der", "van het", "van 't", "von", "in de", "in 't", "in het", "op de", "op den",
        "op het", "op 't", "uit de", "uit den", "uit het", "aan de", "aan den", "aan het",
        "bij de", "onder de", "over de", "voor de", "voor den", "d'", "di", "du", "da", "le",
        "la",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def split_surname(last_name):
    """("de", "Boer") for "de Boer"; ("", "Boer") when there is no known prefix.

    Only a prefix followed by more name counts: "Van" alone is a surname. "Van Dijk" is split
    too: in the Netherlands the capital only marks the start of the written name."""
    name = " ".join(last_name.translate(_APOSTROPHES).split())
    lowered = name.lower()
    for prefix in SURNAME_PREFIXES:
        if lowered.startswith(prefix + " ") and len(name) > len(prefix) + 1:
            return name[: len(prefix)].lower(), name[len(prefix) + 1 :]
    return "", name


def tidy_surname(surname_prefix, last_name):
    """(tussenvoegsel, achternaam) as stored: the prefix in lower case with single spaces;
    when no prefix was given but the last name starts with one ("de Boer" typed in the
    achternaam field, or a file from a system without a tussenvoegsel column), split it."""
    prefix = " ".join(surname_prefix.translate(_APOSTROPHES).split()).lower()
    if prefix:
        return prefix, " ".join(last_name.split())
    return split_surname(last_name)


def normalise(text):
    """Lower case, accents stripped, spaces collapsed: "Céline" → "celine"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def sort_name(first_name, surname_prefix, last_name):
    """The key the list sorts on and the search matches word starts in: achternaam, then
    voornaam, then the tussenvoegsel, normalised ("boer eva de")."""
    return normalise(f"{last_name} {first_name} {surname_prefix}")[:300]


def list_name(first_name, surname_prefix, last_name):
    """How a list writes the name: "Boer, Eva de"."""
    given = " ".join(filter(None, [first_name, surname_prefix]))
    return ", ".join(filter(None, [last_name, given]))


def full_name(first_name, surname_prefix, last_name):
    """How a sentence writes the name: "Eva de Boer"."""
    return " ".join(filter(None, [first_name, surname_prefix, last_name]))


def search_words(query, limit=5):
    """The normalised words of a search ("De Boer" → ["de", "boer"]), at most ``limit``.
    A comma is a separator, so "Boer, Eva" finds what the list shows as "Boer, Eva de"."""
    return normalise(query.replace(",", " ")).split()[:limit]
