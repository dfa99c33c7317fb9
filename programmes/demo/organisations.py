"""Municipalities and organisations named in the seed documents."""

from programmes.enums import OrganisationKind as Kind
from programmes.enums import Province
from programmes.models import Municipality, Organisation

MUNICIPALITIES = [
    # Groningen
    ("Eemsdelta", "GM1979", Province.groningen),
    ("Groningen", "GM0014", Province.groningen),
    ("Het Hogeland", "GM1966", Province.groningen),
    ("Midden-Groningen", "GM1952", Province.groningen),
    ("Oldambt", "GM1895", Province.groningen),
    ("Pekela", "GM0765", Province.groningen),
    ("Stadskanaal", "GM0037", Province.groningen),
    ("Veendam", "GM0047", Province.groningen),
    ("Westerkwartier", "GM1969", Province.groningen),
    ("Westerwolde", "GM1950", Province.groningen),
    # Drenthe: the six municipalities of the Regio Deal Zuid- en Oost-Drenthe
    ("Aa en Hunze", "GM1680", Province.drenthe),
    ("Borger-Odoorn", "GM1681", Province.drenthe),
    ("Coevorden", "GM0109", Province.drenthe),
    ("Emmen", "GM0114", Province.drenthe),
    ("Hoogeveen", "GM0118", Province.drenthe),
    ("Midden-Drenthe", "GM1731", Province.drenthe),
    # Overijssel: Kansen4Kinderen also works in Hardenberg
    ("Hardenberg", "GM0160", Province.overijssel),
]

OOST_GRONINGEN = ["Midden-Groningen", "Oldambt", "Pekela", "Stadskanaal", "Veendam", "Westerwolde"]
REGIO_DEAL_DRENTHE = [
    "Aa en Hunze",
    "Borger-Odoorn",
    "Coevorden",
    "Emmen",
    "Hoogeveen",
    "Midden-Drenthe",
]


def municipality_organisation(name):
    return f"Gemeente {name}"


# (name, kind, seat municipality or None, website)
ORGANISATIONS = [
    ("Provincie Groningen", Kind.province, "Groningen", "https://www.provinciegroningen.nl"),
    ("Provincie Drenthe", Kind.province, None, "https://www.provincie.drenthe.nl"),
    ("Rijksoverheid", Kind.central_government, None, "https://www.rijksoverheid.nl"),
    ("Nationaal Programma Groningen", Kind.other, None, ""),
    (
        "Programmabureau Regio Deal Zuid- en Oost-Drenthe",
        Kind.other,
        None,
        "https://www.regiodealzuidoostdrenthe.nl",
    ),
    # 000 Klei Impuls
    ("Jongerenwerk Barkema & De Haan", Kind.company, None, ""),
    ("Stichting KomOp!", Kind.foundation, None, ""),
    # 001 Regio Deal Zuid- en Oost-Drenthe
    ("CMO STAMM", Kind.foundation, None, ""),
    ("Zero to One", Kind.company, None, ""),
    ("UWV", Kind.central_government, None, "https://www.uwv.nl"),
    ("Agentur für Arbeit", Kind.other, None, ""),
    # 002 1000-banenplan / Kansrijk Opleiden
    (
        "Arbeidsmarktregio Groningen (Werk in Zicht)",
        Kind.labour_market_region,
        "Groningen",
        "https://www.werkinzicht.nl",
    ),
    # 004 Leefbaarheidsprogramma 2020-2023
    (
        "Sociaal Planbureau Groningen",
        Kind.knowledge_institution,
        None,
        "https://sociaalplanbureaugroningen.nl",
    ),
    ("Rijksuniversiteit Groningen", Kind.knowledge_institution, "Groningen", "https://www.rug.nl"),
    ("Gezond Groningen", Kind.other, None, "https://gezondgroningen.nl"),
    ("Stichting De Hoven", Kind.foundation, "Eemsdelta", ""),
    ("RWLP programmabureau", Kind.other, None, "https://www.rwlp.nl"),
    ("Stichting Leergeld", Kind.foundation, None, ""),
    ("Jeugdfonds Sport en Cultuur", Kind.foundation, None, ""),
    ("Voedselbanken Groningen", Kind.foundation, None, ""),
    ("Kledingbank Maxima", Kind.foundation, None, ""),
    ("Regionaal Distributiecentrum Groningen", Kind.foundation, None, ""),
    ("Tocamaheerd", Kind.foundation, None, ""),
    ("Makerswierde", Kind.foundation, None, ""),
    ("Makeport Mercurius", Kind.school, None, ""),
    ("VNO-NCW", Kind.association, None, ""),
]


def load():
    """Create or update the municipalities and organisations; return them by name."""
    municipalities = {}
    for name, cbs_code, province in MUNICIPALITIES:
        municipalities[name], _ = Municipality.objects.update_or_create(
            cbs_code=cbs_code, defaults={"name": name, "province": province}
        )

    organisations = {}
    rows = [
        (
            municipality_organisation(name),
            Kind.municipality,
            name,
            "https://gemeente.groningen.nl" if name == "Groningen" else "",
        )
        for name, _code, _province in MUNICIPALITIES
    ] + ORGANISATIONS
    for name, kind, seat, website in rows:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "municipality": municipalities[seat] if seat else None,
                "website": website,
            },
        )
    return municipalities, organisations
