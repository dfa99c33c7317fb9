"""The factsheet texts of seed 004 (the Leefbaarheid terugblik), cleaned of OCR errors.

Bullet fields hold one bullet per line, ``quotes`` one quote per paragraph (in sentence case;
the template sets them in capitals). Figures are not typed in here where the portal holds the
underlying rows: the overview's results on Zorg & Voorzieningen, the Transitiefonds, the Pilot
Economische Vitaliteit and the yearly Sociale Agenda subsidies are computed from the
applications when the sheet is rendered.
"""

from programmes.demo.programmes import LEEFBAARHEID
from reports.models import Factsheet, FactsheetKind


def _lines(*items):
    return "\n".join(items)


def _paragraphs(*items):
    return "\n\n".join(items)


def _intro(subject):
    return (
        "Dit feitenblad is onderdeel van de terugblik op het Leefbaarheidsprogramma 2020-2023. "
        "We presenteren de resultaten en hebben in het bijzonder aandacht voor de ervaring van "
        "de gebruiker, waarbij aandacht is voor de maatschappelijke opgaven, beoogde effecten en "
        f"het proces binnen het programma. In dit kader wordt {subject} uitgelicht."
    )


SOURCE_TAIL = (
    "Verder is gebruik gemaakt van diverse documentatie van de provincie en regionale "
    "nieuwsberichten."
)

HIGHLIGHTS = {
    "experiment-familiehuis": {
        "title": "Experiment Familiehuis",
        "subtitle": "Stichting De Hoven",
        "part_of": "Onderdeel van de provinciebrede aanpak Zorg & Voorzieningen",
        "intro": _intro("het Experiment Familiehuis van stichting De Hoven"),
        "what_is_heading": "Wat is het Experiment Familiehuis?",
        "what_is": (
            "Experiment Familiehuis is een actieonderzoek naar informele zorg in een "
            "verpleeghuissetting dat in 2021 van start is gegaan. Het experiment moet inzicht "
            "bieden in de manier waarop formele en informele zorgverleners kunnen samenwerken."
        ),
        "background": (
            "Door de toenemende vergrijzing zal er in de ouderenzorg, zowel in het verpleeghuis "
            "als daarbuiten, steeds meer een beroep worden gedaan op informele zorgverleners "
            "zoals familieleden. Om kwetsbare ouderen goede zorg te blijven bieden is een goede "
            "samenwerking tussen formele en informele zorgverleners van groot belang."
        ),
        "goal": _paragraphs(
            "Het experiment biedt inzicht in hoe de gewenste samenwerking tussen formele en "
            "informele zorg het beste tot stand komt.",
            "Als subsidieverlener heeft de provincie een belangrijke rol in het mogelijk maken "
            "van het Experiment Familiehuis. Daarnaast is de provincie een belangrijke "
            "gesprekspartner in het vinden van oplossingen voor problemen door regelgeving.",
        ),
        "start": "December 2021, in Vliethoven in Delfzijl.",
        "current_state": (
            "Na een uitdagende periode door covid en het bijbehorende ziekteverzuim is het "
            "Experiment Familiehuis in december 2021 van start gegaan in Vliethoven in Delfzijl. "
            "Het doel is het opbouwen van een basiswerkwijze en zowel medewerkers als "
            "familieleden bewust maken van deze werkwijze en de samenwerking. Het onderzoek loopt "
            "tot juni 2024, waarna het Experiment Familiehuis door zal gaan. De Hoven wil leren "
            "van het experiment en dit gebruiken voor het opzetten van het interne programma "
            "‘samenwerken formele en informele zorg’. Dit programma zal worden ingevoerd bij alle "
            "locaties die onderdeel zijn van De Hoven."
        ),
        "added_value": _lines(
            "de projectmedewerker met een aanjagende rol te financieren;",
            "actief mee te denken in het vinden van oplossingen voor regelgeving zoals de "
            "maximale vrijwilligersvergoeding. Een hogere vrijwilligersvergoeding kan mantelzorg "
            "aantrekkelijker maken en mensen met een laag inkomen helpen.",
        ),
        "quotes": _paragraphs(
            "Wat heel belangrijk is, is dat we elkaar de vraag stellen hoe het gaat. We moeten "
            "steeds met elkaar in gesprek blijven, het is soms niet erg dat een taak niet af is "
            "als er wel een gesprek is geweest dat nodig was.",
            "Dat is de meerwaarde, dat er iemand is om het proces aan te jagen en als "
            "aanspreekpunt te fungeren.",
            "Er komen geen verpleeghuizen bij terwijl de vergrijzing wel toeneemt, dus steeds meer "
            "ouderen zullen afhankelijk zijn van een goede samenwerking tussen wijkverpleging, "
            "thuiszorg en mantelzorg. We moeten nu leren welke factoren zorgen voor een goede "
            "samenwerking en hoe we die factoren kunnen versterken.",
            "De samenwerking tussen formele en informele zorg is iets waar iedereen in moet leren. "
            "Zorgverleners zijn gewend alles zelf te doen volgens bepaalde normen. Familieleden "
            "hebben hun eigen gewoontes, die soms anders zijn. Bovendien zijn we nog niet zo "
            "gewend echt samen te zorgen. Er kan bij beide partijen frustratie ontstaan. Om dit "
            "te voorkomen is bewustwording nodig van beïnvloedende factoren in de samenwerking.",
        ),
        "results": "",
        "lessons": _lines(
            "Het kost veel tijd en aandacht om de samenwerking goed te laten verlopen.",
            "De samenwerking tussen formele en informele zorg vraagt om een andere manier van "
            "werken en heeft een andere houding van zorgverleners nodig.",
            "Familieleden voelen zich niet altijd uitgenodigd om een rol in de zorg te houden of "
            "te nemen. Het elkaar leren kennen, zoeken naar mogelijkheden en andere rollen van "
            "familie én medewerkers vraagt tijd en soms ondersteuning.",
            "De familie is meer betrokken bij de zorg voor de ouderen, dit heeft een positief "
            "effect op het welbevinden. Familieleden kennen de oudere beter waardoor de zorg "
            "beter op ze kan aansluiten.",
            "Voor sommige partners brengt betrokkenheid bij de zorg ook meer sociale contacten "
            "met andere verwanten, bewoners en medewerkers en daarmee minder eenzaamheid.",
            "Door coaching van medewerkers en scholing in gespreksvoering kan een grote stap "
            "worden gemaakt in de samenwerking tussen formele en informele zorg.",
            "Samenwerking tussen formele en informele zorg is niet alleen van waarde in een "
            "verpleeghuis, maar zal ook daarbuiten een belangrijke werkwijze zijn. Bijvoorbeeld "
            "in zorgzame wijken en buurten.",
            "Er moeten nog veel stappen worden gemaakt in de ondersteuning van mantelzorgers en "
            "het afbakenen van taken.",
        ),
        "next_steps": _paragraphs(
            "Door de toenemende vergrijzing, met name in het noorden, zal de vraag naar "
            "ouderenzorg alleen maar toenemen. Met de huidige werkwijze zal het niet mogelijk "
            "zijn om de gevraagde zorg te bieden, zowel in verpleeghuizen als daarbuiten door "
            "wijkverpleging en thuiszorg. Dit zal onder andere tot gevolg hebben dat de "
            "leefbaarheid in de regio sterk zal verminderen.",
            "Er is dus een andere aanpak nodig die zorgverleners in staat stelt om efficiënter om "
            "te gaan met de beschikbare tijd, zodat het zorgaanbod kan blijven voldoen aan de "
            "vraag. De enige manier om dit te bereiken is een bredere inzet van mantelzorgers, "
            "alleen dan kunnen ouderen langer in hun vertrouwde omgeving blijven wonen. Een "
            "goede samenwerking tussen formele en informele zorg is dus hard nodig.",
        ),
        # The OCR of this sheet has no source line; none is invented here.
        "source_line": "",
        "links": "https://www.provinciegroningen.nl/subsidies/wonen-en-welzijn/zorg-en-voorzieningen/",
    },
    "rwlp-kwetsbare-panden": {
        "title": "Regionaal Woon- en Leefbaarheidsplan – aanpak kwetsbare panden",
        "subtitle": "",
        "part_of": "Onderdeel van de Krimpagenda 2020-2030",
        "intro": _intro(
            "het Regionaal Woon- en Leefbaarheidsplan (RWLP), aanpak kwetsbare panden,"
        ),
        "what_is_heading": "Wat is de aanpak kwetsbare panden?",
        "what_is": _paragraphs(
            "Het Regionaal Woon- en Leefbaarheidsplan Oost-Groningen (RWLP) is een samenwerking "
            "tussen de gemeenten in Oost-Groningen, de provincie en het programmabureau. Het RWLP "
            "is te vinden op: www.rwlp.nl.",
            "Binnen deze aanpak worden woningen en andere gebouwen, die niet meer "
            "toekomstbestendig zijn, getransformeerd om weer toekomstbestendig te zijn. Ook "
            "worden woningen met een negatieve invloed op de omgeving aangepakt. Het doel is de "
            "woonomgeving van de inwoners te verbeteren door de negatieve invloed van "
            "verpauperde panden weg te nemen. Dit wordt gedaan door sloop, maar ook door "
            "renovatie.",
        ),
        "background": (
            "Er zijn in Oost-Groningen veel kwetsbare panden die door slecht onderhoud "
            "verpauperen en een negatieve invloed hebben op de omgeving, ze zijn als het ware een "
            "rotte kies. In sommige gevallen gaat het om een verlaten pand, maar ook bewoonde "
            "panden hebben te maken met gebrekkig onderhoud dat door de bewoners om verschillende "
            "redenen niet kan worden uitgevoerd."
        ),
        "goal": "",
        "approach": (
            "In de gemeenten in Oost-Groningen wordt leegstand en/of verpaupering tegengegaan "
            "door kwetsbare panden aan te pakken of, wanneer noodzakelijk, te slopen. Door "
            "woningeigenaren te ondersteunen in de aanvraag van subsidies en realisatie van "
            "onderhoud en verduurzaming wordt niet alleen verpaupering tegengegaan, maar ook de "
            "positie van woningeigenaren verbeterd."
        ),
        "added_value": _lines(
            "financieel te ondersteunen in de vorm van een subsidie: in 2021 heeft de provincie "
            "€ 700.000 subsidie beschikbaar gesteld via het transitiefonds aan het RWLP voor de "
            "aanpak van kwetsbare woningen. In 2023 is € 100.000 extra subsidie toegekend;",
            "naast de financiële ondersteuning ook proactief mee te denken in de aanvraag.",
        ),
        "quotes": _paragraphs(
            "Het fijne is dat de provincie heel benaderbaar is. Je hebt vaker met ze te maken dan "
            "je zou denken, gelukkig verloopt het contact heel gemakkelijk.",
            "Het doel was eerst het wegnemen van de rotte kiezen vanwege de krimp. Inmiddels is er "
            "weer sprake van een lichte bevolkingsgroei, dus is het doel verschoven naar "
            "renovatie.",
            "In onze werkzaamheden komen we voor veel uitdagingen te staan waar we ondersteuning "
            "vanuit de provincie bij nodig hebben. Gelukkig is het makkelijk om contact te "
            "krijgen en zijn ze erg proactief. In processen die maanden kunnen duren is het "
            "prettig als er snel geschakeld kan worden.",
        ),
        "results": _lines(
            "Het RWLP heeft de afgelopen jaren een belangrijke rol gespeeld in de aanpak van de "
            "kwetsbare panden in Oost-Groningen.",
            "Daarnaast werkt het RWLP ook aan het verbeteren van dorpen en wijken in "
            "gebiedsgerichte aanpakken.",
            "Het RWLP ondersteunt woningeigenaren bij het verlagen van woonlasten door middel van "
            "het verduurzamen van woningen.",
            "Door het opknappen van kwetsbare panden verbetert de leefomgeving van de inwoners.",
            "Er wordt geïnvesteerd in aantrekkelijke dorps- en stadscentra. De gemeenten in "
            "Oost-Groningen kunnen een subsidie krijgen voor het vitaler maken van een kern.",
            "Er is ook sprake van een signalerende rol, het RWLP komt namelijk binnen bij "
            "inwoners waar andere instanties, zoals de gemeente, dat niet kunnen. Verpaupering is "
            "bijna altijd het gevolg van persoonlijke problemen. Binnen het team wordt besproken "
            "waar problemen kunnen worden gemeld.",
            "Per gemeente zijn er ongeveer 20 panden die aandacht nodig hebben.",
            "Sinds de start van het project zijn ruim 80 casussen opgelost.",
        ),
        "lessons": _lines(
            "De provincie is altijd bereikbaar. Bij de renovatie en sloop van panden kunnen "
            "problemen ontstaan door, bijvoorbeeld, complexe regelgeving. Hierbij is "
            "ondersteuning door de provincie gewenst.",
            "Door de instroom van inwoners van buiten Oost-Groningen is er sprake van een lichte "
            "bevolkingsgroei. Helaas verkijken mensen zich vaak op de kosten van onderhoud "
            "waardoor dit niet wordt of kan worden uitgevoerd.",
            "Een goede integrale samenwerking tussen provincie, gemeentes en RWLP is belangrijk "
            "om resultaten te kunnen blijven boeken. En daarmee kwetsbare panden aan te pakken en "
            "hun (vaak kwetsbare) eigenaren te helpen.",
        ),
        "next_steps": "",
        "source_line": (
            "Dit feitenblad is gebaseerd op een interview met Peter Hesseling (projectleider Team "
            f"kwetsbare panden). {SOURCE_TAIL}"
        ),
        "links": _lines(
            "https://www.rwlp.nl",
            "https://www.provinciegroningen.nl/subsidies/wonen-en-welzijn/"
            "transitiefonds-particuliere-woningvoorraad/",
        ),
    },
    "van-waarde": {
        "title": "Regionaal arrangement ‘Van Waarde’",
        "subtitle": "Provinciale impuls in Het Hogeland",
        "part_of": "",
        "intro": _intro("het Regionaal Arrangement ‘Van Waarde’ in Het Hogeland")
        + " We spreken met Ageeth Oskam, projectleider bij de gemeente.",
        "what_is_heading": "Wat is Van Waarde?",
        "what_is": _paragraphs(
            "Van Waarde is een project in de gemeente Het Hogeland, om jongeren die moeite hebben "
            "om mee te doen in de samenleving, betere kansen te bieden.",
            "Het project ‘Van waarde!’ is onderdeel van het zogeheten regionale arrangement "
            "tussen de provincie en gemeente Het Hogeland. In de regionale arrangementen werkt de "
            "provincie samen met gemeenten en maatschappelijke organisaties aan vraagstukken die "
            "te maken hebben met leefbaarheid en brede welvaart.",
        ),
        "background": (
            "In Het Hogeland is er nog weinig zicht op de groep jongeren van 16 tot 27 jaar "
            "zonder opleiding, werk en uitkering. Deze NEET-jongeren (Not in Employment, "
            "Education or Training) staan nu nog aan de ‘zijlijn’ van de samenleving."
        ),
        "goal": (
            "Het bieden van kansen, mogelijkheden en toekomstperspectief aan NEET-jongeren in Het "
            "Hogeland."
        ),
        "approach": (
            "Samen met betrokken organisaties en instanties worden NEET-jongeren in Het Hogeland "
            "in beeld gebracht. In samenwerking met aanbieders en uitvoerende organisaties worden "
            "arrangementen ontwikkeld en uitgevoerd voor de doelgroep. De opgedane kennis en "
            "ervaring wordt gedeeld met andere gemeenten en organisaties. Door het uitvoeren van "
            "pilots en experimenten worden creatieve oplossingen gevonden voor regio-specifieke "
            "opgaven."
        ),
        "start": "1 december 2021",
        "current_state": (
            "Het project loopt nog tot eind 2024. Er zijn al belangrijke stappen gezet in het "
            "vinden van een werkwijze die echt levert."
        ),
        "added_value": _lines(
            "in te zetten op de Regionale Arrangementen worden problemen aangepakt die anders "
            "onvoldoende aandacht zouden krijgen terwijl ze wel invloed hebben op de leefbaarheid "
            "in de regio;",
            "niet alleen te helpen op financieel gebied, maar ook een rol te spelen in het delen "
            "van de opgedane kennis en ervaring. De problematiek van NEET-jongeren is voor alle "
            "gemeenten een uitdaging, dus de provincie vindt het belangrijk om kennis te delen;",
            "de sterk verbeterde samenwerking tussen de uitvoeringsorganisaties. De verbeterde "
            "samenwerking is een belangrijk gevolg van het project van de provincie en dit heeft "
            "weer een positief effect op de hulpverlening.",
        ),
        "quotes": _paragraphs(
            "De samenwerking tussen de uitvoerende organisaties is sterk verbeterd wat ten goede "
            "komt aan de hulp. De afstand die bestond tussen jongeren en hulpverleners is kleiner "
            "geworden door beter naar ze te luisteren.",
            "Er is echt sprake van een vliegwieleffect, de samenwerkingspartners versterken "
            "elkaar.",
            "Door jongeren te vragen wat zij willen doen, worden ze in hun kracht gezet en krijgen "
            "ze een positieve rol.",
            "Er gebeurt heel veel, we maken mooie stappen. Soms eerder dan verwacht!",
        ),
        "results": _lines(
            "Door de afstand tussen hulpverleners en jongeren te verkleinen is het gelukt om "
            "beter in contact met ze te komen.",
            "De gemeente wil vanwege de positieve resultaten na afloop van het Regionaal "
            "Arrangement doorgaan met het project.",
            "Er zijn structurele aanpassingen gedaan in de opdrachten aan de "
            "samenwerkingspartners in Het Hogeland.",
        ),
        "lessons": _lines(
            "Het bepalen van stappen samen met jongeren en direct betrokkenen is van groot "
            "belang. Door de jongeren echt onderdeel te maken van hun eigen proces ontwikkelen ze "
            "zich op een manier die bij hen past.",
            "Door alleen maar jongeren te zoeken die binnen een doelgroep zoals NEET vallen, zorg "
            "je ervoor dat anderen niet geholpen worden. Iemand heeft misschien wel een "
            "opleiding, maar kan alsnog hulp nodig hebben. Deze jongeren moeten ook in beeld "
            "komen. Die moet je ook vinden, bijvoorbeeld door gesprekken op straat met "
            "omwonenden.",
        ),
        "next_steps": "",
        "source_line": (
            "Dit feitenblad is gebaseerd op een interview met Ageeth Oskam, projectleider bij de "
            f"gemeente Het Hogeland. {SOURCE_TAIL}"
        ),
        "links": "",
    },
}

OVERVIEW = {
    "title": "Verbeteren van brede welvaart in de provincie Groningen",
    "subtitle": "Terugblik op het Leefbaarheidsprogramma 2020-2023",
    "part_of": "Uitvoeringsprogramma Leefbaarheid",
    "intro": _paragraphs(
        "De principes van brede welvaart worden in toenemende mate omarmd als richtinggevend "
        "voor toekomstbestendig beleid. Zo ook in Groningen.",
        "De maatschappelijke uitdagingen in de provincie Groningen overstijgen veelal "
        "gemeentegrenzen. Dit vraagt om samenwerking tussen overheden, maatschappelijke "
        "organisaties, bedrijven en inwoners. De rol van de provincie verschilt per thema, "
        "tijdsfase en per samenwerkingspartner. Dit varieert van agenderend, informerend, "
        "ondersteunend tot versterkend, verbindend en lobbyend.",
    ),
    "what_is_heading": "Regionale arrangementen",
    "what_is": _paragraphs(
        "In de regionale arrangementen werken de provincie en gemeenten samen aan opgaven die "
        "specifiek zijn voor een regio, te maken hebben met brede welvaart en de leefbaarheid "
        "verbeteren.",
        "Het is een extra impuls voor lokale opgaven: opgaven waar gemeenten of regio’s voor "
        "staan, die de leefbaarheid raken. Alle zes regionale arrangementen zijn afgesloten.",
    ),
    # Results per line that the portal cannot compute (no rows for them); the figures of the
    # subsidy schemes come from the applications.
    "results": _lines(
        "Gezond Groningen: in 2020 is het Preventie Overleg Groningen (POG) opgericht, een "
        "samenwerkingsverband van overheden, kennisinstellingen en maatschappelijke partners die "
        "samen met de provincie optrekken om meer gezonde jaren te realiseren met en voor "
        "inwoners van onze regio. Sinds 2023 is het netwerk verder gegaan als Gezond Groningen.",
        "Gezond Groningen: de provincie heeft bijgedragen aan het opzetten van het oorspronkelijke "
        "netwerk. De gedeputeerde is onafhankelijk voorzitter vanuit een regisserende, "
        "faciliterende rol.",
        "Gezond Groningen: het betreft een uniek concept; nergens in Nederland werken deze "
        "partijen zo nadrukkelijk samen aan preventie.",
        "Gezond Groningen: belangrijk resultaat is dat in 2023 het netwerk een regiobeeld heeft "
        "gepubliceerd, op basis waarvan een regiovisie en regioplan is opgesteld.",
        "Zorgkaart Groningen: in opdracht van de provincie is de provinciale Zorgkaart "
        "ontwikkeld. De Zorgkaart bundelt informatie over de bereikbaarheid, beschikbaarheid en "
        "betaalbaarheid van zorg en ondersteuning en staat sinds maart 2022 online.",
        "Kennisdeling: de kern van het onderdeel Sociale Agenda is kennisdeling, met bijdragen "
        "aan de Nationale Diabetes Challenge (doorlopend), de organisatie van het "
        "Regenboogsymposium (jaarlijks), het tv-programma ‘Armoede de Baas’, de brochure "
        "‘Verhalen van Nu’, diverse kennissessies over armoede en het sociaal domein, brede "
        "bijeenkomsten rond de aanpak van energiearmoede, VNO-NCW – Verbetering Geletterdheid "
        "Werknemers en de Proeftuin Westerkwartier, een integrale, wijkgerichte aanpak om de "
        "digitale kloof in de samenleving te dichten.",
        "Onderzoek generatiearmoede: samen met de provincie Drenthe financierde de provincie "
        "Groningen het langlopende onderzoek van de RUG. De nadruk lag op de samenhang tussen "
        "het huidige beleid en aanpakken om mensen uit armoede te helpen.",
        "Onderzoek generatiearmoede: samen met de provincie Drenthe heeft de provincie Groningen "
        "de tweede fase van dit onderzoek omarmd en de financiering met twee jaar verlengd.",
        "Onderzoek generatiearmoede: inzichten uit het onderzoek worden gedeeld in de dynamische "
        "leeromgeving van de Alliantie van Kracht. Hier wordt de vertaling gemaakt vanuit "
        "onderzoek naar praktijk.",
        "Kennisprogramma brede welvaart: er is een kennisprogramma opgezet ter introductie van "
        "het concept brede welvaart aan bestuurders en ambtenaren. Er is een ‘brede welvaart "
        "scan’ ontwikkeld en een adviestraject opgezet om te ondersteunen met het werken met en "
        "vanuit brede welvaart.",
        "Kennisprogramma brede welvaart: in 2022 is de ‘Kerngroep Brede Welvaart’ opgericht. Een "
        "enthousiaste groep regionale bestuurders komt enkele keren per jaar bij elkaar om "
        "praktijkvoorbeelden vanuit brede welvaart aan te pakken. De praktische inzichten worden "
        "gedeeld.",
        "Uitvoeringsagenda Wonen: samen met gemeenten, woningcorporaties, marktpartijen en de "
        "input van experts heeft de provincie een Provinciale Uitvoeringsagenda Wonen opgesteld.",
        "Gronings gereedschap 2.0: het Gronings gereedschap is doorontwikkeld naar een "
        "2.0-versie; in 2024 volgt een publicatie. Het is een gereedschapskist met methodes en "
        "instrumenten om problemen in de particuliere woningvoorraad aan te pakken.",
        "Pilot Economische Vitaliteit: de provincie heeft in 2020 en 2021 onderzocht welke "
        "bestaande programma’s zij wil versterken. Het resultaat is een stevige inzet op "
        "ambachtsleren.",
    ),
    "source_line": (
        "Deze feitenbladen zijn in opdracht van de provincie Groningen opgesteld door Sociaal "
        "Planbureau Groningen, onderdeel van CMO STAMM."
    ),
    "links": _lines(
        "https://www.provinciegroningen.nl/subsidies/wonen-en-welzijn/zorg-en-voorzieningen/",
        "https://preventieoverleggroningen.nl/",
        "https://gezondgroningen.nl/",
        "https://gezondgroningen.nl/wp-content/uploads/2023/12/"
        "Regiovisie-Gezonde-Groningers-Gezonde-Zorg_Aletta-Advies_30-juni-2022.pdf",
        "https://gezondgroningen.nl/wp-content/uploads/2023/12/Regioplan-Gezond-Groningen.pdf",
        "https://sociaalplanbureaugroningen.nl/zorg/zorgkaart-groningen/",
        "https://armoedegroningen.nl/armoede/generatiearmoede/",
        "https://www.rug.nl/research/ursi/essay-intergenerationele-armoede.pdf",
        "https://sociaalplanbureaugroningen.nl/"
        "kerngroep-brede-welvaart-groningen-als-vliegwiel-voor-toepassing-in-beleid/",
        "https://www.provinciegroningen.nl/subsidies/wonen-en-welzijn/"
        "transitiefonds-particuliere-woningvoorraad/",
        "http://groningsgereedschap.nl/",
    ),
}

# The author line keeps its default.
TEXT_FIELDS = [name for name in Factsheet.NARRATIVE_FIELDS if name != "author_line"]


def load(*, programmes, umbrellas):
    """Create or update the three highlighted factsheets and the overview; return the count."""
    for slug, texts in HIGHLIGHTS.items():
        Factsheet.objects.update_or_create(
            programme=programmes[slug],
            defaults={
                "kind": FactsheetKind.highlight,
                **{name: texts.get(name, "") for name in TEXT_FIELDS},
            },
        )
    Factsheet.objects.update_or_create(
        umbrella=umbrellas[LEEFBAARHEID],
        defaults={
            "kind": FactsheetKind.overview,
            **{name: OVERVIEW.get(name, "") for name in TEXT_FIELDS},
        },
    )
    return len(HIGHLIGHTS) + 1
