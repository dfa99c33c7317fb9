"""Umbrella programmes with their lines, and the programmes of the seed documents with their
partners, tracks and targets. Texts paraphrase the seeds; figures are the published ones."""

from datetime import date
from decimal import Decimal

from programmes.enums import ActivityKind as Activity
from programmes.enums import PartnerRole as Role
from programmes.enums import ProgrammeStatus as Status
from programmes.enums import TargetMetric as Metric
from programmes.models import (
    Programme,
    ProgrammeLine,
    ProgrammePartner,
    Target,
    Track,
    UmbrellaProgramme,
)

from .organisations import OOST_GRONINGEN, REGIO_DEAL_DRENTHE, municipality_organisation

LEEFBAARHEID = "leefbaarheidsprogramma-2020-2023"
REGIO_DEAL = "regio-deal-zuid-en-oost-drenthe"
WERK_EN_ONTWIKKEL = "werk-en-ontwikkelprogramma"
NPG = "nationaal-programma-groningen"

SOURCE_KLEI = "Idee ‘Klei Impuls Project’, 27 februari 2020"
SOURCE_REGIO_DEAL = (
    "Nieuwsbericht ‘Nieuwe Regio Deal projecten van start’, Regio Deal Zuid- en Oost-Drenthe"
)
SOURCE_1000_BANEN = "Nieuwsbericht arbeidsmarktregio Groningen over het 1000-banenplan, juni 2021"
SOURCE_W_EN_O = "Voortgangsrapport Werk- & Ontwikkelprogramma, gemeente Groningen, 4 april 2023"
SOURCE_TERUGBLIK = "Terugblik op het Leefbaarheidsprogramma 2020-2023, provincie Groningen"

UMBRELLAS = [
    {
        "slug": LEEFBAARHEID,
        "name": "Leefbaarheidsprogramma 2020-2023",
        "owner": "Provincie Groningen",
        "start_date": date(2020, 1, 1),
        "end_date": date(2023, 12, 31),
        "budget": Decimal("11000000"),
        "description": (
            "Uitvoeringsprogramma Leefbaarheid van de provincie Groningen: verbeteren van brede "
            "welvaart in de provincie, met een provinciebrede aanpak en zes regionale "
            "arrangementen met gemeenten."
        ),
        "lines": [
            {
                "slug": "provinciebrede-aanpak",
                "name": "Provinciebrede aanpak",
                "budget": Decimal("7000000"),
                "description": "Provinciebrede aanpak op vier programmalijnen.",
                "children": [
                    {
                        "slug": "zorg-en-voorzieningen",
                        "name": "Zorg & Voorzieningen",
                        "description": (
                            "Beschikbare en kwalitatief goede zorg; gezondheid en vitaliteit door "
                            "preventie, sport en bewegen; bereikbare bovenlokale voorzieningen."
                        ),
                    },
                    {
                        "slug": "sociale-agenda",
                        "name": "Sociale Agenda",
                        "description": (
                            "Meedoen mogelijk maken; facilitator en verbinder op de thema’s "
                            "participatie, werk en inkomen."
                        ),
                    },
                    {
                        "slug": "wonen",
                        "name": "Wonen",
                        "description": (
                            "Aanpak particuliere woningvoorraad; clustering voorzieningen."
                        ),
                    },
                    {
                        "slug": "economische-vitaliteit",
                        "name": "Economische Vitaliteit",
                        "description": (
                            "Vergroten van de economische vitaliteit van krimpgebieden, met een "
                            "stevige inzet op ambachtsleren."
                        ),
                    },
                ],
            },
            {
                "slug": "regionale-arrangementen",
                "name": "Regionale arrangementen",
                "budget": Decimal("4000000"),
                "description": (
                    "Zes regionale arrangementen die een extra impuls geven aan lokale opgaven. "
                    "Provincie en gemeenten werken samen aan opgaven die specifiek zijn voor een "
                    "regio, te maken hebben met brede welvaart en de leefbaarheid verbeteren."
                ),
            },
        ],
    },
    {
        "slug": REGIO_DEAL,
        "name": "Regio Deal Zuid- en Oost-Drenthe",
        "owner": "Provincie Drenthe",
        "description": (
            "De provincie Drenthe werkt samen met zes gemeenten en het Rijk aan brede welvaart in "
            "Zuid- en Oost-Drenthe: gezondheid, onderwijs en een goede kwaliteit van de "
            "leefomgeving, binnen de pijlers Werken, Wonen en Welzijn. "
            "Meer informatie: www.regiodealzuidoostdrenthe.nl."
        ),
        "lines": [
            {"slug": "werken", "name": "Werken"},
            {"slug": "wonen", "name": "Wonen"},
            {"slug": "welzijn", "name": "Welzijn"},
        ],
    },
    {
        "slug": WERK_EN_ONTWIKKEL,
        "name": "Werk- & Ontwikkelprogramma",
        "owner": municipality_organisation("Groningen"),
        "start_date": date(2022, 1, 1),
        "end_date": date(2025, 12, 31),
        "description": (
            "Programma van de gemeente Groningen dat inwoners met een bijstandsuitkering helpt "
            "richting werk, een opleiding of een andere vorm van participatie. Loopt tot en met "
            "2025. Het gebiedsgericht werken komt voort uit de Pilot Oost, waarmee de gemeente in "
            "2020 is gestart."
        ),
        "lines": [],
    },
    {
        "slug": NPG,
        "name": "Nationaal Programma Groningen",
        "owner": "Nationaal Programma Groningen",
        "description": (
            "Programma voor de toekomst van het aardbevingsgebied; financiert onder meer het "
            "vervolg van het 1000-banenplan onder de naam Kansrijk Opleiden."
        ),
        "lines": [],
    },
]


def _target(name, metric=Metric.recorded, **fields):
    return {"name": name, "metric": metric, **fields}


GEMEENTEN_GRONINGEN = [
    "Eemsdelta",
    "Groningen",
    "Het Hogeland",
    "Midden-Groningen",
    "Oldambt",
    "Pekela",
    "Stadskanaal",
    "Veendam",
    "Westerkwartier",
    "Westerwolde",
]


def _regional_arrangement(slug, name, lead, municipalities, summary):
    return {
        "slug": slug,
        "name": name,
        "umbrella": LEEFBAARHEID,
        "lines": ["regionale-arrangementen"],
        "lead": lead,
        "partners": [("Provincie Groningen", Role.funder)],
        "municipalities": municipalities,
        "status": Status.running,
        "has_participants": False,
        "summary": summary,
    }


PROGRAMMES = [
    # --- 000: Klei Impuls --------------------------------------------------------------------
    {
        "slug": "klei-impuls",
        "name": "Klei Impuls",
        "summary": (
            "Jongerenwerk Barkema & De Haan en Stichting KomOp! willen de regio leefbaar, "
            "kansrijk en leuk houden voor jongeren tot circa 30 jaar: talentvolle jongeren "
            "door-ontwikkelen, "
            "werklozen activeren naar werk en startende ondernemers begeleiden, zodat jongeren "
            "meer binding krijgen met de regio. In de pilot (vanaf het tweede halfjaar 2020) "
            "worden 10 jongeren uit de gemeente Het Hogeland individueel begeleid; daarna wordt "
            "het succes uitgerold over de provincie."
        ),
        "lead": "Jongerenwerk Barkema & De Haan",
        "partners": [
            ("Stichting KomOp!", Role.executing),
            (municipality_organisation("Het Hogeland"), Role.partner),
            ("Provincie Groningen", Role.partner),
        ],
        "municipalities": ["Het Hogeland"],
        "target_group": (
            "Jongeren tot ca. 30 jaar: talenten, werkzoekenden en startende ondernemers"
        ),
        "age_max": 30,
        "start_date": date(2020, 7, 1),
        "duration_months": 18,
        "status": Status.pilot,
        "activity_kinds": [
            Activity.coaching,
            Activity.theme_evening,
            Activity.workshop,
            Activity.assessment,
            Activity.inspiration,
            Activity.network_visit,
        ],
        "tracks": [
            (
                "Talentontwikkeling",
                "Door vroegtijdig talenten te signaleren en talentengroei te stimuleren bind je "
                "jongeren aan de regio en zijn ze sneller geneigd om kansen op te pakken.",
            ),
            (
                "Goed werknemer",
                "Zoveel mogelijk mensen in de regio actief laten deelnemen in werk. Uitvalrisico "
                "wordt beperkt door intensieve training op houding en gedrag en het signaleren "
                "van kansen.",
            ),
            (
                "Ondernemerschap",
                "Jonge (startende) ondernemers worden begeleid door ervaren ondernemers om de "
                "slagingskans beduidend te vergroten. Innovatie wordt gestimuleerd.",
            ),
        ],
        "targets": [
            _target(
                "Deelnemers pilot Het Hogeland",
                Metric.enrolments_started,
                target_value=10,
                unit="deelnemers",
                year=2020,
                source=SOURCE_KLEI,
            ),
        ],
    },
    # --- 001: Regio Deal Zuid- en Oost-Drenthe -----------------------------------------------
    {
        "slug": "vitale-dorpen",
        "name": "Vitale Dorpen",
        "umbrella": REGIO_DEAL,
        "lines": ["wonen", "welzijn"],
        "summary": (
            "Cross-over project over Wonen en Welzijn: dorpen leefbaar houden als plek waar jong "
            "en oud plezierig samenleven. Onderzocht wordt welke elementen in meerdere dorpen "
            "werken, zodat ze aan andere dorpen en gemeenten kunnen worden overgedragen. De "
            "eerste dorpen zijn gestart met het ondersteuningsaanbod; de volgende fase helpt nog "
            "meer dorpen en buurten om vitaler te worden."
        ),
        "lead": "Programmabureau Regio Deal Zuid- en Oost-Drenthe",
        "partners": [("CMO STAMM", Role.executing), ("Provincie Drenthe", Role.funder)],
        "municipalities": REGIO_DEAL_DRENTHE,
        "target_group": "Inwoners van dorpen en buurten in Zuid- en Oost-Drenthe",
        "status": Status.running,
        "has_participants": False,
    },
    {
        "slug": "digitalisering-vrijetijdseconomie",
        "name": "Digitalisering Vrijetijdseconomie",
        "umbrella": REGIO_DEAL,
        "lines": ["werken"],
        "summary": (
            "Ondernemers in de vrijetijdssector worden geholpen met concrete stappen in hun "
            "digitaliseringsplannen. De tweede fase biedt meer maatwerk en individuele "
            "begeleiding: na een inventarisatie van de behoeften krijgt de ondernemer een menu op "
            "maat, zoals kennissessies en andere tools."
        ),
        "lead": "Programmabureau Regio Deal Zuid- en Oost-Drenthe",
        "partners": [("Provincie Drenthe", Role.funder)],
        "municipalities": REGIO_DEAL_DRENTHE,
        "target_group": "Ondernemers in de vrijetijdssector",
        "status": Status.running,
        "activity_kinds": [Activity.coaching, Activity.workshop],
        "has_participants": False,
    },
    {
        "slug": "new-jobportunities-2",
        "name": "New Jobportunities 2.0",
        "umbrella": REGIO_DEAL,
        "lines": ["werken"],
        "summary": (
            "Brengt een talentvolle doelgroep van niet-uitkeringsgerechtigden in de "
            "Duits-Nederlandse grensregio naar de arbeidsmarkt, uitgaand van de kracht van de "
            "deelnemers. Voorwaarde voor de tweede helft van de gevraagde bijdrage: aangetoond "
            "moet zijn dat het project toekomstbestendig is. Zero to One toetst daarvoor "
            "financiële modellen; het advies neigt naar onderbrengen bij een publieke organisatie "
            "(gesprekken met UWV en Agentur für Arbeit)."
        ),
        "lead": "Programmabureau Regio Deal Zuid- en Oost-Drenthe",
        "partners": [
            ("Zero to One", Role.advisor),
            ("UWV", Role.partner),
            ("Agentur für Arbeit", Role.partner),
            ("Provincie Drenthe", Role.funder),
        ],
        "municipalities": REGIO_DEAL_DRENTHE,
        "target_group": "Niet-uitkeringsgerechtigden in de Duits-Nederlandse grensregio",
        "status": Status.running,
        "activity_kinds": [Activity.coaching],
    },
    {
        "slug": "kansen4kinderen",
        "name": "Kansen4Kinderen",
        "umbrella": REGIO_DEAL,
        "lines": ["welzijn"],
        "summary": (
            "Lerend netwerk van scholen en gemeenten dat alle kinderen een eerlijke kans op "
            "optimale talentontwikkeling wil geven, in gezinnen met intergenerationele problemen "
            "als laaggeletterdheid, armoede, opvoedingsproblematiek en leerproblemen. "
            "Kansencoaches delen hun voorbeelden uit de praktijk."
        ),
        "lead": "Programmabureau Regio Deal Zuid- en Oost-Drenthe",
        "partners": [
            ("Provincie Drenthe", Role.funder),
            (municipality_organisation("Hardenberg"), Role.partner),
            *[(municipality_organisation(name), Role.partner) for name in REGIO_DEAL_DRENTHE],
        ],
        "municipalities": [*REGIO_DEAL_DRENTHE, "Hardenberg"],
        "target_group": "Kinderen in het basisonderwijs en hun gezinnen",
        "age_min": 4,
        "age_max": 12,
        "status": Status.running,
        "activity_kinds": [Activity.coaching, Activity.milestone, Activity.note],
        "website": "https://www.regiodealzuidoostdrenthe.nl",
        "targets": [
            _target(
                "Scholen in het netwerk",
                recorded_value=90,
                is_minimum=True,
                unit="scholen",
                source=SOURCE_REGIO_DEAL,
            ),
        ],
    },
    # --- 002: 1000-banenplan / Kansrijk Opleiden --------------------------------------------
    {
        "slug": "kansrijk-opleiden",
        "name": "Kansrijk Opleiden (1000-banenplan)",
        "umbrella": NPG,
        "summary": (
            "Het 1000-banenplan bood inwoners en bedrijven kansen die voortkomen uit de "
            "versterkingsoperatie: scholing op maat voor beroepen in de Bouw, Techniek, Zorg, "
            "Transport en Logistiek. Het Rijk stelde € 6,4 miljoen beschikbaar; Werk in Zicht "
            "coördineerde, met alle gemeenten en UWV. Met geld uit het Nationaal Programma "
            "Groningen gaat het verder als Kansrijk Opleiden, voor alle kansrijke sectoren."
        ),
        "lead": "Arbeidsmarktregio Groningen (Werk in Zicht)",
        "partners": [
            ("UWV", Role.partner),
            ("Rijksoverheid", Role.funder),
            ("Nationaal Programma Groningen", Role.funder),
        ],
        "municipalities": GEMEENTEN_GRONINGEN,
        "target_group": (
            "Werkzoekende inwoners die zich laten om- of bijscholen voor kansrijke beroepen"
        ),
        "start_date": date(2018, 3, 1),
        "status": Status.running,
        "budget": Decimal("6400000"),
        "website": "https://www.werkinzicht.nl",
        "targets": [
            _target(
                "Duurzame plaatsingen",
                target_value=1000,
                recorded_value=1000,
                unit="plaatsingen",
                year=2021,
                source=SOURCE_1000_BANEN,
            ),
            _target(
                "Inwoners die een opleiding volgden",
                recorded_value=1200,
                is_minimum=True,
                unit="inwoners",
                year=2021,
                source=SOURCE_1000_BANEN,
            ),
            _target(
                "Opleidingsmogelijkheden gecreëerd",
                recorded_value=90,
                is_minimum=True,
                unit="opleidingen",
                year=2021,
                source=SOURCE_1000_BANEN,
            ),
        ],
    },
    # --- 003: Werk- & Ontwikkelprogramma -----------------------------------------------------
    {
        "slug": "op-koers",
        "name": "Op Koers",
        "umbrella": WERK_EN_ONTWIKKEL,
        "summary": (
            "Deelnemers krijgen in een korte periode intensieve begeleiding om een persoonlijk "
            "doel te behalen. Dit doel is altijd gericht op werk, scholing en/of een vorm van "
            "maatschappelijke participatie."
        ),
        "lead": municipality_organisation("Groningen"),
        "municipalities": ["Groningen"],
        "target_group": "Inwoners van de gemeente Groningen met een bijstandsuitkering",
        "age_min": 18,
        "start_date": date(2022, 1, 1),
        "end_date": date(2025, 12, 31),
        "status": Status.running,
        "activity_kinds": [
            Activity.coaching,
            Activity.workshop,
            Activity.assessment,
            Activity.milestone,
        ],
        "tracks": [
            ("Werk", "Persoonlijk doel gericht op betaald werk."),
            ("Scholing", "Persoonlijk doel gericht op een opleiding of scholing."),
            ("Participatie", "Persoonlijk doel gericht op maatschappelijke participatie."),
        ],
        "targets": [
            _target(
                "Gestarte deelnemers",
                Metric.enrolments_started,
                unit="deelnemers",
                source=SOURCE_W_EN_O,
            ),
            _target("Betaald aan het werk", Metric.paid_work_share, unit="%", source=SOURCE_W_EN_O),
            _target(
                "Stap gezet (werkervaringsplaats, scholing, participatie of sociale activering)",
                Metric.step_share,
                unit="%",
                source=SOURCE_W_EN_O,
            ),
            _target("Nog bezig", Metric.ongoing_share, unit="%", source=SOURCE_W_EN_O),
        ],
    },
    {
        "slug": "talentperron",
        "name": "Talentperron",
        "umbrella": WERK_EN_ONTWIKKEL,
        "summary": (
            "Bij het Talentperron aan het Harm Buiterplein kunnen inwoners ontdekken waar ze goed "
            "in zijn en welke baan of opleiding daarbij past: een talententest, kwaliteiten in "
            "kaart brengen of een loopbaangesprek. Evenementen maken inwoners bekend met "
            "branches en beroepen, in samenwerking met o.a. UWV, bedrijven en "
            "onderwijsinstellingen."
        ),
        "lead": municipality_organisation("Groningen"),
        "partners": [("UWV", Role.partner)],
        "municipalities": ["Groningen"],
        "target_group": "Inwoners van de gemeente Groningen",
        "start_date": date(2022, 1, 1),
        "status": Status.running,
        "activity_kinds": [Activity.assessment, Activity.coaching, Activity.inspiration],
        "has_participants": False,
        "targets": [
            _target(
                "Unieke bezoekers sinds 2022",
                recorded_value=750,
                is_minimum=True,
                unit="bezoekers",
                year=2023,
                source=SOURCE_W_EN_O,
            ),
            _target(
                "Evenementen georganiseerd",
                recorded_value=50,
                is_minimum=True,
                unit="evenementen",
                year=2023,
                source=SOURCE_W_EN_O,
            ),
        ],
    },
    {
        "slug": "gebiedsgericht-werken",
        "name": "Gebiedsgericht werken",
        "umbrella": WERK_EN_ONTWIKKEL,
        "summary": (
            "Sinds november 2022 werken de coaches Werk & Participatie vanuit fysieke locaties in "
            "verschillende gebieden in Groningen, samen met maatschappelijke organisaties en "
            "lokale ondernemers: dienstverlening in de wijk met één contactpersoon. Komt voort "
            "uit de Pilot Oost (2020)."
        ),
        "lead": municipality_organisation("Groningen"),
        "municipalities": ["Groningen"],
        "target_group": (
            "Inwoners van de gemeente Groningen die werk of een passende activiteit zoeken"
        ),
        "start_date": date(2022, 11, 1),
        "status": Status.running,
        "activity_kinds": [Activity.coaching],
    },
    {
        # Target rows belong to a programme, so the programme-wide figures of the
        # Werk- & Ontwikkelprogramma live on this programme (see the report).
        "slug": "werk-en-ontwikkelprogramma-programmabreed",
        "name": "Werk- & Ontwikkelprogramma (programmabreed)",
        "umbrella": WERK_EN_ONTWIKKEL,
        "summary": (
            "Resultaten van het Werk- & Ontwikkelprogramma als geheel, uit het voortgangsrapport "
            "van april 2023."
        ),
        "lead": municipality_organisation("Groningen"),
        "municipalities": ["Groningen"],
        "target_group": "Inwoners van de gemeente Groningen met een bijstandsuitkering",
        "start_date": date(2022, 1, 1),
        "end_date": date(2025, 12, 31),
        "status": Status.running,
        "has_participants": False,
        "targets": [
            _target(
                "Extra mensen geholpen richting werk, opleiding of participatie (sinds 2022)",
                recorded_value=480,
                unit="mensen",
                source=SOURCE_W_EN_O,
            ),
            _target(
                "Extra mensen helpen in 2023",
                target_value=600,
                unit="mensen",
                year=2023,
                source=SOURCE_W_EN_O,
            ),
            _target(
                "Afname aantal bijstandsgerechtigden (sinds 2022)",
                recorded_value=350,
                unit="mensen",
                source=SOURCE_W_EN_O,
            ),
            _target(
                "Besparing op het budget voor uitkeringen",
                recorded_value=2300000,
                unit="€",
                source=SOURCE_W_EN_O,
            ),
        ],
    },
    # --- 004: Leefbaarheidsprogramma 2020-2023 -----------------------------------------------
    {
        "slug": "gezond-groningen",
        "name": "Gezond Groningen (Preventie Overleg Groningen)",
        "umbrella": LEEFBAARHEID,
        "lines": ["zorg-en-voorzieningen"],
        "summary": (
            "In 2020 opgericht als Preventie Overleg Groningen (POG): een samenwerkingsverband van "
            "overheden, kennisinstellingen en maatschappelijke partners die samen met de "
            "provincie optrekken om meer gezonde jaren te realiseren. Sinds 2023 verder als "
            "Gezond Groningen; in 2023 verscheen een regiobeeld, met daarop gebaseerd een "
            "regiovisie en regioplan."
        ),
        "lead": "Gezond Groningen",
        "partners": [("Provincie Groningen", Role.partner)],
        "municipalities": GEMEENTEN_GRONINGEN,
        "start_date": date(2020, 1, 1),
        "status": Status.running,
        "has_participants": False,
        "website": "https://gezondgroningen.nl/",
    },
    {
        "slug": "zorgkaart-groningen",
        "name": "Zorgkaart Groningen",
        "umbrella": LEEFBAARHEID,
        "lines": ["zorg-en-voorzieningen"],
        "summary": (
            "In opdracht van de provincie ontwikkelde Zorgkaart die informatie bundelt over de "
            "bereikbaarheid, beschikbaarheid en betaalbaarheid van zorg en ondersteuning. Staat "
            "sinds maart 2022 online."
        ),
        "lead": "Sociaal Planbureau Groningen",
        "partners": [("Provincie Groningen", Role.funder)],
        "municipalities": GEMEENTEN_GRONINGEN,
        "start_date": date(2022, 3, 1),
        "status": Status.running,
        "has_participants": False,
        "website": "https://sociaalplanbureaugroningen.nl/zorg/zorgkaart-groningen/",
    },
    {
        "slug": "experiment-familiehuis",
        "name": "Experiment Familiehuis",
        "umbrella": LEEFBAARHEID,
        "lines": ["zorg-en-voorzieningen"],
        "summary": (
            "Actieonderzoek van Stichting De Hoven naar informele zorg in een "
            "verpleeghuissetting: hoe formele en informele zorgverleners kunnen samenwerken. "
            "Gestart in december 2021 in Vliethoven in Delfzijl; het onderzoek loopt tot juni "
            "2024."
        ),
        "lead": "Stichting De Hoven",
        "partners": [("Provincie Groningen", Role.funder)],
        "municipalities": ["Eemsdelta"],
        "target_group": "Bewoners van het verpleeghuis, hun familieleden en de medewerkers",
        "start_date": date(2021, 12, 1),
        "end_date": date(2024, 6, 30),
        "status": Status.running,
        "has_participants": False,
    },
    {
        "slug": "onderzoek-generatiearmoede",
        "name": "Onderzoek generatiearmoede",
        "umbrella": LEEFBAARHEID,
        "lines": ["sociale-agenda"],
        "summary": (
            "Langlopend onderzoek van de RUG naar de samenhang tussen het huidige beleid en "
            "aanpakken om mensen uit armoede te helpen, gefinancierd door de provincies Groningen "
            "en Drenthe; de tweede fase is met twee jaar verlengd. Inzichten worden gedeeld in "
            "de Alliantie van Kracht."
        ),
        "lead": "Rijksuniversiteit Groningen",
        "partners": [("Provincie Groningen", Role.funder), ("Provincie Drenthe", Role.funder)],
        "status": Status.running,
        "has_participants": False,
        "website": "https://armoedegroningen.nl/armoede/generatiearmoede/",
    },
    {
        "slug": "kennisprogramma-brede-welvaart",
        "name": "Kennisprogramma brede welvaart",
        "umbrella": LEEFBAARHEID,
        "lines": ["sociale-agenda"],
        "summary": (
            "Kennisprogramma dat het concept brede welvaart introduceert bij bestuurders en "
            "ambtenaren, met een ‘brede welvaart scan’ en een adviestraject. In 2022 is de "
            "Kerngroep Brede Welvaart opgericht: regionale bestuurders die enkele keren per jaar "
            "praktijkvoorbeelden vanuit brede welvaart aanpakken."
        ),
        "lead": "Provincie Groningen",
        "partners": [("Sociaal Planbureau Groningen", Role.executing)],
        "status": Status.running,
        "has_participants": False,
        "website": (
            "https://sociaalplanbureaugroningen.nl/"
            "kerngroep-brede-welvaart-groningen-als-vliegwiel-voor-toepassing-in-beleid/"
        ),
    },
    {
        "slug": "rwlp-kwetsbare-panden",
        "name": "Regionaal Woon- en Leefbaarheidsplan – aanpak kwetsbare panden",
        "umbrella": LEEFBAARHEID,
        "lines": ["wonen"],
        "summary": (
            "Woningen en andere gebouwen die niet meer toekomstbestendig zijn worden "
            "getransformeerd, en woningen met een negatieve invloed op de omgeving aangepakt, "
            "door renovatie of sloop. Onderdeel van de Krimpagenda 2020-2030."
        ),
        "lead": "RWLP programmabureau",
        "partners": [
            ("Provincie Groningen", Role.funder),
            *[(municipality_organisation(name), Role.partner) for name in OOST_GRONINGEN],
        ],
        "municipalities": OOST_GRONINGEN,
        "target_group": "Eigenaren en bewoners van kwetsbare panden in Oost-Groningen",
        "status": Status.running,
        "has_participants": False,
        "website": "https://www.rwlp.nl",
        "targets": [
            _target(
                "Subsidie uit het Transitiefonds Particuliere Woningvoorraad",
                Metric.grants_amount,
                unit="€",
                source=SOURCE_TERUGBLIK,
            ),
            _target(
                "Opgeloste casussen sinds de start",
                recorded_value=80,
                is_minimum=True,
                unit="casussen",
                source=SOURCE_TERUGBLIK,
            ),
            _target(
                "Panden die aandacht nodig hebben, per gemeente (ongeveer)",
                recorded_value=20,
                unit="panden",
                source=SOURCE_TERUGBLIK,
            ),
        ],
    },
    {
        "slug": "uitvoeringsagenda-wonen",
        "name": "Provinciale Uitvoeringsagenda Wonen",
        "umbrella": LEEFBAARHEID,
        "lines": ["wonen"],
        "summary": (
            "Samen met gemeenten, woningcorporaties, marktpartijen en de input van experts "
            "opgestelde Provinciale Uitvoeringsagenda Wonen."
        ),
        "lead": "Provincie Groningen",
        "municipalities": GEMEENTEN_GRONINGEN,
        "status": Status.finished,
        "has_participants": False,
    },
    {
        "slug": "gronings-gereedschap",
        "name": "Gronings gereedschap 2.0",
        "umbrella": LEEFBAARHEID,
        "lines": ["wonen"],
        "summary": (
            "Gereedschapskist met methodes en instrumenten om problemen in de particuliere "
            "woningvoorraad aan te pakken, doorontwikkeld naar een 2.0-versie. In 2024 volgt een "
            "publicatie."
        ),
        "lead": "Provincie Groningen",
        "status": Status.running,
        "has_participants": False,
        "website": "http://groningsgereedschap.nl/",
    },
    _regional_arrangement(
        "kansrijke-start-groningen",
        "Provinciale impuls voor een kansrijke toekomst – Kansrijke start",
        municipality_organisation("Groningen"),
        ["Groningen"],
        "Regionaal arrangement met de gemeente Groningen.",
    ),
    {
        **_regional_arrangement(
            "van-waarde",
            "Van Waarde! Van opgroeien naar opbloeien",
            municipality_organisation("Het Hogeland"),
            ["Het Hogeland"],
            (
                "Regionaal arrangement met de gemeente Het Hogeland om NEET-jongeren (zonder "
                "opleiding, werk en uitkering) in beeld te brengen en kansen, mogelijkheden en "
                "toekomstperspectief te bieden, met arrangementen die samen met aanbieders en "
                "uitvoerende organisaties worden ontwikkeld."
            ),
        ),
        "target_group": "NEET-jongeren: jongeren zonder opleiding, werk en uitkering",
        "age_min": 16,
        "age_max": 27,
        "start_date": date(2021, 12, 1),
        "end_date": date(2024, 12, 31),
        "activity_kinds": [Activity.coaching, Activity.workshop, Activity.milestone],
        "has_participants": True,
        "targets": [
            _target(
                "Jongeren in beeld en begeleid",
                Metric.enrolments_started,
                unit="jongeren",
                source=SOURCE_TERUGBLIK,
            ),
        ],
    },
    _regional_arrangement(
        "kickstart-westerkwartier",
        "Kickstart Westerkwartier – een kansrijke, inclusieve, creatieve en krachtige start "
        "voor alle kinderen",
        municipality_organisation("Westerkwartier"),
        ["Westerkwartier"],
        "Regionaal arrangement met de gemeente Westerkwartier.",
    ),
    {
        **_regional_arrangement(
            "gezondheid-oost-groningen",
            "Regionaal arrangement voor gezondheid Oost-Groningen: De verrijkte schooldag & "
            "Preventie in de keten",
            "Provincie Groningen",
            ["Oldambt", "Pekela", "Stadskanaal", "Veendam", "Westerwolde"],
            "Regionaal arrangement voor gezondheid in Oost-Groningen.",
        ),
        "partners": [
            (municipality_organisation(name), Role.partner)
            for name in ["Oldambt", "Pekela", "Stadskanaal", "Veendam", "Westerwolde"]
        ],
    },
    _regional_arrangement(
        "verrijkte-schooldag-midden-groningen",
        "Provinciale impuls voor Verrijkte schooldag – Tijd voor Toekomst",
        municipality_organisation("Midden-Groningen"),
        ["Midden-Groningen"],
        "Regionaal arrangement met de gemeente Midden-Groningen.",
    ),
    _regional_arrangement(
        "sterke-dorpen-en-wijken-eemsdelta",
        "Aanpak sterke dorpen en wijken: Eemsdelta",
        municipality_organisation("Eemsdelta"),
        ["Eemsdelta"],
        "Regionaal arrangement met de gemeente Eemsdelta.",
    ),
]

# Coordinators see the participants of the programmes they are a member of.
MEMBERSHIPS = {
    "coordinator": ["op-koers", "klei-impuls"],
    "coordinator.drenthe": ["kansen4kinderen"],
}

PROGRAMME_FIELDS = [
    "name",
    "summary",
    "target_group",
    "age_min",
    "age_max",
    "start_date",
    "end_date",
    "duration_months",
    "budget",
    "website",
]


def _load_lines(umbrella, specs, parent=None, order=0):
    lines = {}
    for spec in specs:
        order += 1
        line, _ = ProgrammeLine.objects.update_or_create(
            umbrella=umbrella,
            slug=spec["slug"],
            defaults={
                "parent": parent,
                "name": spec["name"],
                "description": spec.get("description", ""),
                "budget": spec.get("budget"),
                "order": order,
            },
        )
        lines[spec["slug"]] = line
        children = _load_lines(umbrella, spec.get("children", []), parent=line, order=order)
        order += len(children)
        lines.update(children)
    return lines


def load(*, municipalities, organisations, users):
    """Create or update umbrellas, lines and programmes; return the programmes by slug."""
    umbrellas, lines = {}, {}
    for spec in UMBRELLAS:
        umbrella, _ = UmbrellaProgramme.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "owner": organisations[spec["owner"]],
                "start_date": spec.get("start_date"),
                "end_date": spec.get("end_date"),
                "budget": spec.get("budget"),
            },
        )
        umbrellas[umbrella.slug] = umbrella
        lines[umbrella.slug] = _load_lines(umbrella, spec["lines"])

    programmes = {}
    for spec in PROGRAMMES:
        umbrella_slug = spec.get("umbrella")
        programme, _ = Programme.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                **{name: spec.get(name) for name in PROGRAMME_FIELDS},
                "summary": spec.get("summary", ""),
                "target_group": spec.get("target_group", ""),
                "website": spec.get("website", ""),
                "umbrella": umbrellas[umbrella_slug] if umbrella_slug else None,
                "lead_organisation": organisations[spec["lead"]],
                "status": spec["status"],
                "activity_kinds": [kind.value for kind in spec.get("activity_kinds", [])],
                "has_participants": spec.get("has_participants", True),
            },
        )
        programme.lines.set([lines[umbrella_slug][slug] for slug in spec.get("lines", [])])
        programme.municipalities.set(
            [municipalities[name] for name in spec.get("municipalities", [])]
        )
        for name, role in spec.get("partners", []):
            ProgrammePartner.objects.update_or_create(
                programme=programme, organisation=organisations[name], defaults={"role": role}
            )
        for order, (name, description) in enumerate(spec.get("tracks", []), start=1):
            Track.objects.update_or_create(
                programme=programme,
                name=name,
                defaults={"description": description, "order": order},
            )
        for order, target in enumerate(spec.get("targets", []), start=1):
            Target.objects.update_or_create(
                programme=programme,
                name=target["name"],
                defaults={
                    "metric": target["metric"],
                    "target_value": target.get("target_value"),
                    "recorded_value": target.get("recorded_value"),
                    "is_minimum": target.get("is_minimum", False),
                    "unit": target.get("unit", ""),
                    "year": target.get("year"),
                    "source": target.get("source", ""),
                    "order": order,
                },
            )
        programmes[programme.slug] = programme

    for username, slugs in MEMBERSHIPS.items():
        users[username].programmes.set([programmes[slug] for slug in slugs])
    return umbrellas, lines, programmes
