"""Fictional participant names: a short list of common Dutch first and last names, combined
by a seeded random generator. No real person is meant. Some surnames have a tussenvoegsel
("de Boer", "van der Veen"): participants.names.split_surname splits them for the rows.
The lists keep their lengths: the seeded generator then draws the same sequence."""

from participants.names import normalise

FIRST_NAMES = [
    "Anna", "Bram", "Daan", "Demi", "Eline", "Emma", "Fleur", "Gijs", "Hanna", "Iris",
    "Jesse", "Joost", "Julia", "Kevin", "Lars", "Lieke", "Lotte", "Luuk", "Maaike", "Milan",
    "Noah", "Noor", "Pim", "Roos", "Ruben", "Sanne", "Sem", "Sophie", "Stijn", "Thijs",
    "Tim", "Tess", "Vera", "Wessel", "Yara", "Zoë", "Anouk", "Bas", "Ilse", "Céline",
]  # fmt: skip

LAST_NAMES = [
    "Bakker", "Bos", "Brouwer", "de Boer", "de Groot", "de Jong", "de Vries", "Dijkstra",
    "Hoekstra", "Huizinga", "Jansen", "Kamminga", "Kok", "Meijer", "Mulder", "Oosterhof",
    "Postma", "Smit", "Schuurman", "van der Veen", "van Dijk", "Veenstra", "Visser", "Wiersma",
    "Zijlstra", "Boersma", "Hofman", "Kuipers", "Nieboer", "ter Horst",
]  # fmt: skip


def email_for(first_name, last_name, number=None):
    """A fictional address at example.org (reserved for examples, never delivered)."""
    local = f"{first_name}.{last_name}".lower().replace(" ", "").replace("'", "")
    local = normalise(local)
    if number is not None:
        local = f"{local}.{number}"
    return f"{local}@example.org"
