"""What a factsheet shows: its narrative, split into paragraphs, bullets and quotes, and the
figures computed from the portal's rows at render time.

``factsheet_context`` returns the template context. Everything the sheet shows is in
``context["sheet"]`` as plain, already formatted values (strings, lists, dicts), so the
templates stay simple and ``content_hash`` can hash exactly what a reader sees: a changed
narrative field or a changed figure gives a new hash, a save without changes does not.

Figures are formatted in Dutch ("€ 2,7 mln", "€ 700.000", "23%"): a factsheet is a Dutch
document, whatever language the person who asks for it uses.
"""

import hashlib
import json
import re
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes.figures import SMALL_NUMBER, percentage, programme_figures
from programmes.models import Programme, ProgrammeLine
from regioportal.templatetags.portal import NBSP, euro, euro_short, number, percent
from subsidies.enums import ApplicationStatus
from subsidies.figures import dutch_list as _dutch_list
from subsidies.figures import scheme_figures, scheme_results
from subsidies.models import Application, Scheme

from .layout import split_pages
from .models import Factsheet, FactsheetKind

# Part of the hash: raise it when the templates or reports.layout change what a sheet shows or
# how, so stored PDFs made with the old layout are not served as current.
LAYOUT_VERSION = 2

NARRATIVE_FIELDS = ["kind", *Factsheet.NARRATIVE_FIELDS]

GRANTED = ApplicationStatus.granted_group()
SPEAKER_PREFIXES = ("—", "–", "- ")


def paragraphs(text):
    """Paragraphs separated by blank lines; line breaks inside one are kept as spaces."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text or "") if block.strip()]


def bullets(text):
    """One bullet per non-empty line."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def quotes(text):
    """One quote per paragraph; a last line starting with a dash names the speaker."""
    result = []
    for block in re.split(r"\n\s*\n", text or ""):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        speaker = ""
        if len(lines) > 1 and lines[-1].startswith(SPEAKER_PREFIXES):
            speaker = lines.pop().lstrip("—–- ").strip()
        result.append({"text": " ".join(lines).strip("“”\"' "), "speaker": speaker})
    return result


def _link(text):
    """A link line as a web address; anything but http(s) gets https:// in front, so a text
    can never become a javascript: or file: link."""
    href = text if text.lower().startswith(("https://", "http://")) else f"https://{text}"
    return {"href": href, "text": text}


def euro_millions(amount):
    """A budget as the province writes it: "€ 7 miljoen", "€ 2,7 miljoen"; below a million
    as a plain amount."""
    if amount is None:
        return ""
    if amount < 1_000_000:
        return euro(amount)
    return f"€{NBSP}{number(Decimal(amount) / 1_000_000, 1).removesuffix(',0')}{NBSP}miljoen"


def factsheet_context(factsheet):
    """The template context of one factsheet (saved or not: a programme without a factsheet
    gets an unsaved one with only its title). A fixed number of queries per kind."""
    with translation.override("nl"):
        if factsheet.kind == FactsheetKind.overview:
            sheet = _overview_sheet(factsheet)
            sheet["blocks"] = _overview_blocks(sheet)
        else:
            sheet = _programme_sheet(factsheet)
            sheet["blocks"] = _programme_blocks(sheet)
    return {"factsheet": factsheet, "sheet": sheet}


def pdf_pages(sheet):
    """The sheet's blocks in the two columns of each page of its PDF (reports.layout): the
    PDF's columns are decided here, by estimated length, not by WeasyPrint's slow CSS
    columns. Depends only on the sheet, so the content hash need not include it."""
    return split_pages(sheet, sheet.get("blocks") or [])


def content_hash(factsheet, context=None):
    """SHA-256 (hex) of everything the sheet shows: its narrative and the computed figures."""
    sheet = (context or factsheet_context(factsheet))["sheet"]
    payload = json.dumps(
        {"layout": LAYOUT_VERSION, "sheet": sheet}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _narrative(factsheet, *, default_title="", default_what_is=""):
    title = factsheet.title or default_title
    what_is = paragraphs(factsheet.what_is) or paragraphs(default_what_is)
    facts = [
        {"label": label, "paragraphs": paragraphs(text)}
        for label, text in [
            (_("Aanleiding"), factsheet.background),
            (_("Doel"), factsheet.goal),
            (_("Aanpak"), factsheet.approach),
            (_("Start"), factsheet.start),
        ]
        if text.strip()
    ]
    return {
        "kind": factsheet.kind,
        "title": title,
        "subtitle": factsheet.subtitle,
        "part_of": factsheet.part_of,
        "intro": paragraphs(factsheet.intro),
        "what_is_heading": factsheet.what_is_heading
        or (_("Wat is %(name)s?") % {"name": title} if what_is else ""),
        "what_is": what_is,
        "facts": facts,
        "current_state": paragraphs(factsheet.current_state),
        "added_value": bullets(factsheet.added_value),
        "quotes": quotes(factsheet.quotes),
        "results": bullets(factsheet.results),
        "lessons": bullets(factsheet.lessons),
        "next_steps": paragraphs(factsheet.next_steps),
        "source_line": paragraphs(factsheet.source_line),
        "links": [_link(text) for text in bullets(factsheet.links)],
        "author_line": factsheet.author_line,
    }


# The body of a sheet as blocks ------------------------------------------------------------
#
# What the sheet shows below its header, in reading order, as blocks the template renders one
# by one: sections (a heading and items: paragraphs, lists, sub-headings, a chart, the facts of
# the "in het kort" box), quotes and the source line. The HTML preview shows them in one
# column; the PDF puts them in two (pdf_pages).


def _section(heading, items, **extra):
    return {"kind": "section", "heading": str(heading), "items": items, **extra}


def _paragraph_items(texts):
    return [{"kind": "p", "text": text} for text in texts]


def _list_item(texts):
    return [{"kind": "list", "items": list(texts)}] if texts else []


def _quote_block(quote):
    return [{"kind": "quote", **quote}] if quote else []


def _source_block(sheet):
    items = _paragraph_items(sheet["source_line"])
    if sheet["links"]:
        items.append({"kind": "links", "items": sheet["links"]})
    return [{"kind": "source", "items": items}] if items else []


def _programme_blocks(sheet):
    blocks = []
    items = _paragraph_items(sheet["what_is"])
    for fact in sheet["facts"]:
        for index, text in enumerate(fact["paragraphs"]):
            lead = f"{fact['label']}." if index == 0 else ""
            items.append({"kind": "p", "text": text, "lead": lead})
    if items:
        blocks.append(_section(sheet["what_is_heading"], items))
    if sheet["programme"]["rows"]:
        facts = [{"kind": "facts", "rows": sheet["programme"]["rows"]}]
        blocks.append(_section(_("In het kort"), facts, box=True))
    if sheet["current_state"]:
        items = _paragraph_items(sheet["current_state"])
        blocks.append(_section(_("Waar staan we nu?"), items))
    if sheet["added_value"]:
        items = _list_item(sheet["added_value"])
        blocks.append(_section(_("De provincie creëert meerwaarde door:"), items))
    quotes = sheet["quotes"]
    blocks += _quote_block(quotes[0] if quotes else None)
    if sheet["results"] or sheet["figure_results"] or sheet["chart"]:
        items = _list_item(sheet["figure_results"]) + _list_item(sheet["results"])
        if sheet["chart"]:
            items.append({"kind": "chart", "chart": sheet["chart"]})
        blocks.append(_section(_("Wat zijn de resultaten?"), items))
    blocks += _quote_block(quotes[1] if len(quotes) > 1 else None)
    if sheet["lessons"]:
        blocks.append(_section(_("Wat hebben we geleerd?"), _list_item(sheet["lessons"])))
    for quote in quotes[2:]:
        blocks += _quote_block(quote)
    if sheet["next_steps"]:
        items = _paragraph_items(sheet["next_steps"])
        blocks.append(_section(_("Het vervolg"), items))
    return blocks + _source_block(sheet)


def _overview_blocks(sheet):
    blocks = []
    if sheet["lines"]:
        items = []
        for line in sheet["lines"]:
            items.append({"kind": "h3", "text": line["name"]})
            if line["budget"]:
                items.append({"kind": "budget", "text": line["budget"]})
            items += _list_item(line["items"])
            if line["note"]:
                items.append({"kind": "p", "text": line["note"]})
        blocks.append(_section(_("Programmalijnen"), items))
    if sheet["line_results"]:
        items = []
        for group in sheet["line_results"]:
            if group["line"]:
                items.append({"kind": "h3", "text": group["line"]})
            for block in group["blocks"]:
                if block["heading"]:
                    items.append({"kind": "h4", "text": block["heading"]})
                items += _list_item(block["bullets"])
        if sheet["chart"]:
            items.append({"kind": "chart", "chart": sheet["chart"]})
        blocks.append(_section(_("Resultaten"), items))
    if sheet["what_is"] or sheet["arrangements"]:
        arrangements = [
            f"{item['name']}, {_('gemeente %(names)s') % {'names': item['municipalities']}}."
            if item["municipalities"]
            else f"{item['name']}."
            for item in sheet["arrangements"]
        ]
        items = _paragraph_items(sheet["what_is"]) + _list_item(arrangements)
        heading = sheet["what_is_heading"] or _("Regionale arrangementen")
        blocks.append(_section(heading, items))
    return blocks + _source_block(sheet)


# Programme factsheets -----------------------------------------------------------------------


CHART_LABEL_WIDTH = 118  # SVG user units: the label column, then bars of at most BAR_LENGTH
BAR_LENGTH = 150
ROW_HEIGHT = 22


def _chart(*, title, column, rows, count_column=""):
    """A bar chart: ``rows`` have a label, a display value and a width in percent of the
    longest bar; the SVG geometry is added here so the template only places it."""
    for index, row in enumerate(rows):
        row["y"] = index * ROW_HEIGHT
        row["bar"] = round(BAR_LENGTH * row["width"] / 100)
        row["text_x"] = CHART_LABEL_WIDTH + row["bar"] + 4
    return {
        "title": title,
        "column": column,
        "count_column": count_column,
        "rows": rows,
        "label_width": CHART_LABEL_WIDTH,
        "width": CHART_LABEL_WIDTH + BAR_LENGTH + 60,
        "height": ROW_HEIGHT * len(rows),
        "summary": "; ".join(f"{row['label']}: {row['display']}" for row in rows),
    }


def _programme_sheet(factsheet):
    programme = (
        Programme.objects.select_related("lead_organisation", "umbrella")
        .prefetch_related("partners", "municipalities")
        .get(pk=factsheet.programme_id)
    )
    sheet = _narrative(factsheet, default_title=programme.name, default_what_is=programme.summary)
    sheet["label"] = _("Uitgelicht:")
    sheet["programme"] = _programme_facts(programme)
    sheet["key_figures"], sheet["figure_results"], sheet["chart"] = [], [], None
    if programme.has_participants:
        _participant_figures(programme, sheet)
    grants = list(
        Application.objects.filter(programme=programme, status__in=GRANTED)
        .select_related("scheme")
        .order_by("decided_on", "reference")
        .values("title", "granted_amount", "decided_on", "scheme__name")
    )
    if grants:
        _grant_figures(grants, sheet)
    return sheet


def _programme_facts(programme):
    period = ""
    if programme.start_date:
        start = programme.start_date.strftime("%d-%m-%Y")
        end = programme.end_date.strftime("%d-%m-%Y") if programme.end_date else ""
        period = f"{start} – {end}" if end else _("vanaf %(start)s") % {"start": start}
    rows = [
        (_("Penvoerder"), str(programme.lead_organisation)),
        (_("Partners"), _dutch_list(programme.partners.all())),
        (_("Gemeenten"), _dutch_list(programme.municipalities.all())),
        (_("Doelgroep"), programme.target_group),
        (_("Looptijd"), period),
        (_("Status"), str(programme.get_status_display())),
    ]
    return {
        "name": programme.name,
        "umbrella": programme.umbrella.name if programme.umbrella else "",
        "rows": [{"label": label, "value": value} for label, value in rows if value],
    }


def _shown(count):
    """A count as published: small numbers would point at people, so they are not shown."""
    return count is not None and count >= SMALL_NUMBER


def _participant_figures(programme, sheet):
    figures = programme_figures(programme)
    started = figures.started
    if not _shown(started):
        sheet["figure_results"].append(
            _("Er zijn nog te weinig deelnemers gestart om cijfers te tonen.")
        )
        return
    groups = [
        (_("Betaald werk"), figures.paid_work),
        (_("Een stap verder"), figures.step),
        (_("Nog bezig"), figures.ongoing),
        (_("Geen vervolgstap"), figures.no_next_step),
    ]
    hidden = {index for index, (_label, count) in enumerate(groups) if not _shown(count)}
    if len(hidden) == 1:
        # The groups add up to the started total: one hidden group would follow by subtraction.
        hidden.add(
            min((i for i in range(len(groups)) if i not in hidden), key=lambda i: groups[i][1])
        )
    rows = []
    for index, (label, count) in enumerate(groups):
        share = percentage(count, started)
        rows.append(
            {
                "label": str(label),
                "count": number(count) if index not in hidden else f"< {SMALL_NUMBER}",
                "display": percent(share) if index not in hidden else "–",
                "width": share if index not in hidden else 0,
            }
        )
    key = [{"value": number(started), "label": _("deelnemers gestart")}]
    for index, label in [
        (0, _("aan betaald werk")),
        (1, _("een stap verder: werkervaring, scholing of participatie")),
        (2, _("nog bezig")),
    ]:
        if index not in hidden:
            key.append({"value": rows[index]["display"], "label": str(label)})
    sheet["key_figures"] = key
    results = [
        _("Van de %(started)s gestarte deelnemers is %(paid)s betaald aan het werk.")
        % {"started": number(started), "paid": rows[0]["display"]}
        if 0 not in hidden
        else _("Er zijn %(started)s deelnemers gestart.") % {"started": number(started)}
    ]
    if 1 not in hidden:
        results.append(
            _("%(step)s heeft een stap gezet naar werkervaring, scholing of participatie.")
            % {"step": rows[1]["display"]}
        )
    if 2 not in hidden:
        results.append(_("%(ongoing)s is nog bezig.") % {"ongoing": rows[2]["display"]})
    if _shown(figures.with_ladder) and _shown(figures.rose_on_ladder):
        results.append(
            _("%(rose)s van de deelnemers is gestegen op de participatieladder.")
            % {"rose": percent(figures.rose_on_ladder_percent)}
        )
    sheet["figure_results"] = [str(line) for line in results]
    sheet["chart"] = _chart(
        title=_("Uitstroom van de %(started)s gestarte deelnemers") % {"started": number(started)},
        column=_("Aandeel"),
        count_column=_("Aantal"),
        rows=rows,
    )


def _grant_figures(grants, sheet):
    total = sum(grant["granted_amount"] for grant in grants)
    sheet["key_figures"] += [
        {"value": euro_short(total), "label": _("subsidie verleend")},
        {
            "value": number(len(grants)),
            "label": ngettext("subsidie", "subsidies", len(grants)),
        },
    ]
    for grant in grants:
        sheet["figure_results"].append(
            _("In %(year)s: %(amount)s subsidie via %(scheme)s (%(title)s).")
            % {
                "year": grant["decided_on"].year,
                "amount": euro(grant["granted_amount"]),
                "scheme": grant["scheme__name"],
                "title": grant["title"],
            }
        )
    per_year = defaultdict(Decimal)
    for grant in grants:
        per_year[grant["decided_on"].year] += grant["granted_amount"]
    if sheet["chart"] is None:
        largest = max(per_year.values())
        rows = [
            {
                "label": str(year),
                "count": "",
                "display": euro(amount),
                "width": int(amount * 100 / largest) if largest else 0,
            }
            for year, amount in sorted(per_year.items())
        ]
        sheet["chart"] = _chart(
            title=_("Verleende subsidie per jaar"), column=_("Bedrag"), rows=rows
        )


# The umbrella overview ----------------------------------------------------------------------


def _overview_sheet(factsheet):
    umbrella = factsheet.umbrella
    sheet = _narrative(factsheet, default_title=umbrella.name, default_what_is=umbrella.description)
    sheet["label"] = ""
    lines = list(
        ProgrammeLine.objects.filter(umbrella=umbrella).prefetch_related(
            Prefetch(
                "programmes",
                queryset=Programme.objects.prefetch_related("municipalities").order_by("name"),
            )
        )
    )
    # The subsidy schemes' figures, from all their applications: a factsheet is published.
    figures = scheme_figures(
        Scheme.objects.filter(line__umbrella=umbrella).order_by("line__order", "name"),
        Application.objects.all(),
    )

    top = [line for line in lines if line.parent_id is None]
    children = defaultdict(list)
    for line in lines:
        if line.parent_id:
            children[line.parent_id].append(line)
    sheet["lines"] = [
        {
            "name": line.name,
            "budget": euro_millions(line.budget),
            "items": [child.name for child in children[line.pk]],
            "note": (
                _(
                    "%(count)s regionale arrangementen die een extra impuls geven "
                    "aan lokale opgaven."
                )
                % {"count": len(line.programmes.all())}
                if not children[line.pk] and line.programmes.all()
                else ""
            ),
        }
        for line in top
    ]
    granted_count = sum(scheme.granted_count for scheme in figures)
    granted_total = sum((scheme.granted_amount for scheme in figures), Decimal(0))
    arrangement_count = sum(len(line.programmes.all()) for line in top if not children[line.pk])
    sheet["key_figures"] = [
        figure
        for figure in [
            umbrella.budget and {"value": euro_short(umbrella.budget), "label": _("budget")},
            granted_count and {"value": number(granted_count), "label": _("subsidies verleend")},
            granted_count and {"value": euro_short(granted_total), "label": _("subsidie verleend")},
            arrangement_count
            and {"value": number(arrangement_count), "label": _("regionale arrangementen")},
        ]
        if figure
    ]
    sheet["line_results"] = _line_results(lines, figures, sheet["results"])
    arrangement_lines = [line for line in top if not children[line.pk] and line.programmes.all()]
    sheet["arrangements"] = [
        {
            "name": programme.name,
            "municipalities": _dutch_list(programme.municipalities.all()),
        }
        for line in arrangement_lines
        for programme in line.programmes.all()
    ]
    sheet["chart"] = _overview_chart(lines, figures)
    return sheet


def _line_results(lines, figures, narrative_results):
    """RESULTATEN per programme line: each scheme's computed results
    (subsidies.figures.scheme_results), then the narrative results ("Topic: text" lines)
    under the line they belong to."""
    blocks = {}  # heading -> block, in order of insertion
    line_of_block = {}
    for scheme_figures_ in figures:
        scheme = scheme_figures_.scheme
        blocks[scheme.name] = {
            "heading": scheme.name,
            "bullets": [str(text) for text in scheme_results(scheme_figures_)],
        }
        line_of_block[scheme.name] = scheme.line_id
    programme_lines = [
        (programme.name.lower(), line.pk) for line in lines for programme in line.programmes.all()
    ]
    other = None
    for item in narrative_results:
        topic, sep, text = item.partition(": ")
        if not sep:
            topic, text = "", item
        text = text[:1].upper() + text[1:]
        block = next((b for name, b in blocks.items() if name.lower() == topic.lower()), None)
        if block is None and topic in blocks:
            block = blocks[topic]
        if block is None:
            line_id = next((pk for name, pk in programme_lines if topic.lower() in name), None)
            if line_id is None:
                line_id = next((line.pk for line in lines if line.name in text), other)
            block = blocks.setdefault(topic, {"heading": topic, "bullets": []})
            line_of_block.setdefault(topic, line_id)
        block["bullets"].append(text)
    order = {line.pk: index for index, line in enumerate(lines)}
    ordered = sorted(
        enumerate(blocks.items()),
        key=lambda item: (order.get(line_of_block[item[1][0]], len(order)), item[0]),
    )
    names = {line.pk: line.name for line in lines}
    result = []
    for _index, (heading, block) in ordered:
        line_name = names.get(line_of_block[heading], "")
        if result and result[-1]["line"] == line_name:
            result[-1]["blocks"].append(block)
        else:
            result.append({"line": line_name, "blocks": [block]})
    return result


def _overview_chart(lines, figures):
    names = {line.pk: line.name for line in lines}
    per_line = defaultdict(Decimal)
    for scheme in figures:
        per_line[scheme.scheme.line_id] += scheme.granted_amount
    if not per_line:
        return None
    largest = max(per_line.values()) or 1
    rows = [
        {
            "label": names[line_id],
            "count": "",
            "display": euro_short(amount),
            "width": int(amount * 100 / largest),
        }
        for line_id, amount in sorted(per_line.items(), key=lambda item: -item[1])
    ]
    return _chart(title=_("Verleende subsidie per programmalijn"), column=_("Bedrag"), rows=rows)
