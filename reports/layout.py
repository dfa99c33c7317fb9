"""The PDF's two columns, decided before WeasyPrint lays the sheet out.

CSS multi-column layout is what made a factsheet slow to render: WeasyPrint lays the columns
of every page out at least twice (once to measure, once for real, and again for every block it
moves while balancing). So the factsheet template does not ask for columns. This module
estimates how tall each part of the sheet will be and assigns the parts to the two columns of
each page (``split_pages``); the template sets each page's columns side by side in one table
row, and WeasyPrint lays every line out once.

The estimate wraps text greedily at spaces (and after hyphens and slashes) with the advance
widths of the shipped Open Sans files, at the sizes, line heights and margins of
``static/css/factsheet.css`` (print); keep the constants below in step with that stylesheet.
Measured against WeasyPrint on the seed factsheets it is right to the line for nearly every
part; ``WIDTH_MARGIN`` and ``SAFETY`` leave room for the odd line it gets wrong. Should a
column ever run over its page anyway (a text nobody foresaw), its row breaks across the page
like any table row: the sheet gets longer, nothing is lost.

A section is split between columns between its paragraphs and list items, or inside a
paragraph or list item of four lines or more at a line (two lines at least on either side; the
rest goes on at the top of the next column without a second bullet), never right after a
heading. The "in het kort" box and the quotes stay whole; one that does not fit at the foot of
a column moves to the top of the next, and the text after it fills the column first (as a box
or pull quote does in print). The last page's columns are balanced. The same sheet always gives
the same columns.
"""

import functools
import io
import math
import re

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

MM_PER_PT = 25.4 / 72

# The page (factsheet.css @page): A4 with margins of 14 mm, 20 mm at the foot.
PAGE_HEIGHT = 297 - 14 - 20
CONTENT_WIDTH = 210 - 2 * 14
COLUMN_WIDTH = (CONTENT_WIDTH - 8) / 2  # .fs-col: half the row each, 4 mm padding at the gap
# Lines are measured as if they were this much narrower (the estimate ignores kerning and
# Pango's own rounding, and a line that turns out one word too long costs a line).
WIDTH_MARGIN = 0.995
# Room left free at the foot of every column.
SAFETY = 4.5

# Open Sans' line height "normal": (ascender + descender) / units per em, from its hhea table.
NORMAL = (2189 + 600) / 2048

FONT_FILES = {
    "regular": "fonts/OpenSans-Regular.ttf",
    "italic": "fonts/OpenSans-Italic.ttf",
    "semibold": "fonts/OpenSans-Semibold.ttf",
    "bold": "fonts/OpenSans-Bold.ttf",
    "extrabold": "fonts/OpenSans-ExtraBold.ttf",
}

# Text of the columns: size (pt) and line height; the overview is set a little smaller.
BODY = (9.0, 1.42)
OVERVIEW_BODY = (8.4, 1.38)
SOURCE = (7.5, 1.35)


def pt(value):
    """Points in millimetres."""
    return value * MM_PER_PT


def _read_static(name):
    found = finders.find(name)
    if found:
        with open(found, "rb") as file:
            return file.read()
    with staticfiles_storage.open(name) as file:
        return file.read()


@functools.cache
def advances(face):
    """``{character: advance width in em}`` of one of the shipped faces, read once per
    process. fontTools comes with WeasyPrint, which embeds fonts with it."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - only PDF rendering needs it

    font = TTFont(io.BytesIO(_read_static(FONT_FILES[face])), lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {
        chr(code): metrics[glyph][0] / units
        for code, glyph in font.getBestCmap().items()
        if glyph in metrics
    }


# Per word: the same words come back in every paragraph and every sheet, and summing their
# letters was half the time split_pages took (measured: 6 ms of a factsheet's 300, 3 ms with
# this).
@functools.lru_cache(maxsize=1 << 15)
def _width(text, face):
    """Width of ``text`` in em; a character the face lacks counts as a wide letter."""
    table = advances(face)
    return sum(table.get(char, 0.62) for char in text)


# Where a line may break: after spaces (not after a no-break space), and after a hyphen or a
# slash inside a word.
SEGMENT = re.compile(r"[ \t\n]+|[^ \t\n\-/]*[\-/]+|[^ \t\n\-/]+")


def line_starts(runs, width, size, *, uppercase=False):
    """Where the lines of the text ``runs`` (``[(text, face)]``, one after the other in one
    paragraph) start when wrapped greedily in ``width`` mm at ``size`` pt: offsets into the
    joined text, the first 0. A word longer than a line counts for the lines it needs but
    offers no place to split."""
    em = pt(size)
    width *= WIDTH_MARGIN
    starts, used, space, offset = [], 0.0, 0.0, 0
    for text, face in runs:
        for match in SEGMENT.finditer(text.upper() if uppercase else text):
            segment = match.group()
            if segment[0] in " \t\n":
                space = _width(" ", face) * em if starts else 0.0
                continue
            length = _width(segment, face) * em
            if not starts:
                starts.append(offset + match.start())
                used = length
            elif used + space + length <= width:
                used += space + length
            else:
                starts.append(offset + match.start())
                used = length
            space = 0.0
            while used > width:  # a word longer than a line: it overflows, or breaks (links)
                starts.append(None)
                used -= width
        offset += len(text)
    return starts


def line_count(runs, width, size, *, uppercase=False, break_all=False):
    """How many lines the text ``runs`` take in ``width`` mm at ``size`` pt."""
    if break_all:
        text = "".join(text.upper() if uppercase else text for text, _face in runs)
        total = sum(_width(text, face) for text, face in runs) * pt(size)
        return math.ceil(total / (width * WIDTH_MARGIN)) if text else 0
    return len(line_starts(runs, width, size, uppercase=uppercase))


def text_height(runs, width, size, line_height, **options):
    return line_count(runs, width, size, **options) * pt(size * line_height)


# Pieces ---------------------------------------------------------------------------------------
#
# Every block becomes a run of pieces (its heading, each paragraph, each list item, ...), each
# with its height and its margins above and below; adjoining margins collapse to the larger.
# A column never ends after a ``keep`` piece (a heading). A ``floating`` piece (a whole box or
# quote) that does not fit may move down past the text that follows it. A paragraph or list
# item of four lines or more may be split between columns at a line (two lines at least on
# either side): ``lines`` holds where its lines start in its text, ``start`` and ``end`` the
# part of the text the piece stands for.


class Piece:
    __slots__ = (
        "block", "count", "end", "floating", "fragment", "height", "item", "keep", "line",
        "lines", "margin_bottom", "margin_top", "number", "part", "start",
    )  # fmt: skip

    def __init__(self, item, part, height, *, top=0.0, bottom=0.0, keep=False):
        self.item, self.part = item, part
        self.height, self.margin_top, self.margin_bottom = height, top, bottom
        self.keep, self.floating, self.fragment = keep, False, False
        self.block = self.number = self.count = None
        self.lines, self.line, self.start, self.end = None, 0.0, 0, None

    def split(self, count):
        """This piece's first ``count`` lines and the rest, as two pieces."""
        first, rest = Piece(self.item, self.part, 0.0), Piece(self.item, self.part, 0.0)
        for piece in (first, rest):
            piece.block, piece.number, piece.count = self.block, self.number, self.count
            piece.line, piece.end, piece.fragment = self.line, self.end, True
        middle = self.lines[count]
        first.lines, rest.lines = self.lines[:count], self.lines[count:]
        first.start, first.end, rest.start = self.start, middle, middle
        first.height, rest.height = count * self.line, self.height - count * self.line
        first.margin_top, rest.margin_bottom = self.margin_top, self.margin_bottom
        return first, rest


def _text_piece(item, part, text, runs, width, size, line_height, *, bottom):
    """A paragraph or list item; splittable when its lines start at known places. ``runs``
    may start with a lead-in that is not part of ``text``."""
    starts = line_starts(runs, width, size)
    line = pt(size * line_height)
    piece = Piece(item, part, len(starts) * line, bottom=bottom)
    lead = len(runs[0][0]) if len(runs) > 1 else 0
    if len(starts) >= 4 and None not in starts:
        piece.lines, piece.line = [max(start - lead, 0) for start in starts], line
    piece.end = len(text)
    return piece


def _item_pieces(item_index, item, metrics, width):
    """The pieces of one item of a section (or of the source line), ``metrics`` its block's
    (size, line height)."""
    size, line_height = metrics
    kind = item["kind"]
    if kind == "p":
        if metrics == SOURCE:
            height = text_height([(item["text"], "italic")], width, size, line_height)
            return [Piece(item_index, None, height, bottom=1)]
        runs = [(item["text"], "regular")]
        if item.get("lead"):
            runs = [(item["lead"] + " ", "bold"), *runs]
        piece = _text_piece(item_index, None, item["text"], runs, width, size, line_height,
                            bottom=2.2)  # fmt: skip
        return [piece]
    if kind == "links":
        return [
            Piece(item_index, number, text_height([(link["text"], "regular")], width, size,
                                                  line_height, break_all=True))
            for number, link in enumerate(item["items"])
        ]  # fmt: skip
    if kind == "list":
        pieces = [
            _text_piece(item_index, number, entry, [(entry, "regular")], width - 4, size,
                        line_height, bottom=1.2)
            for number, entry in enumerate(item["items"])
        ]  # fmt: skip
        if pieces:
            pieces[-1].margin_bottom = 2.5
        return pieces
    if kind in ("h3", "h4"):
        size, top = (9.5, 3) if kind == "h3" else (8.5, 2.5)
        height = text_height([(item["text"], "bold")], width, size, 1.2, uppercase=True)
        return [Piece(item_index, None, height, top=top, bottom=1, keep=True)]
    if kind == "budget":
        height = text_height([(item["text"], "extrabold")], width, 18, 1.1)
        return [Piece(item_index, None, height, bottom=2.2)]
    if kind == "facts":
        height = sum(
            text_height([(f"{row['label']}: ", "bold"), (row["value"], "regular")], width, size,
                        line_height) + 1.2
            for row in item["rows"]
        )  # fmt: skip
        return [Piece(item_index, None, height)]
    if kind == "chart":
        height = chart_height(item["chart"], width, line_height)
        return [Piece(item_index, None, height, top=3, bottom=4)]
    raise ValueError(f"A factsheet has no item of kind {kind!r}.")


def chart_height(chart, width, line_height):
    """The figure: caption, the SVG (as wide as the column) and the table of its figures,
    in the line height of the text around it."""
    caption = text_height([(chart["title"], "bold")], width, 8.5, line_height) + 1.5
    picture = width * chart["height"] / chart["width"] + 2
    table_caption = pt(7.5 * line_height) + 1
    row = pt(8 * line_height) + 2 * 0.6 + 0.2  # padding and rule of each row
    return caption + picture + table_caption + (len(chart["rows"]) + 1) * row + 0.2


def _heading_piece(heading, width):
    height = text_height([(heading, "extrabold")], width, 10.5, 1.2, uppercase=True)
    return Piece("heading", None, height + 1 + 0.6, bottom=2, keep=True)  # padding, rule


def block_pieces(block, body):
    """The pieces of one block (a section, a quote or the source line) in a column."""
    width = COLUMN_WIDTH
    kind = block["kind"]
    if kind == "quote":
        height = text_height([(f"“{block['text']}”", "bold")], width, 8.5, 1.35, uppercase=True)
        if block.get("speaker"):
            height += 1 + text_height([(f"— {block['speaker']}", "regular")], width, 8.5, 1.35)
        piece = Piece(None, None, height + 2 * 2.5 + 2 * 0.5, top=3, bottom=4)
        piece.floating = True
        return [piece]
    if block.get("box"):
        inner = width - 2 * 3
        height = 2.5 + 1  # padding
        if block.get("heading"):  # in a box the heading has no rule above it
            heading = [(block["heading"], "extrabold")]
            height += text_height(heading, inner, 10.5, 1.2, uppercase=True) + 2
        for index, item in enumerate(block["items"]):
            height += sum(piece.height for piece in _item_pieces(index, item, body, inner))
        piece = Piece(None, None, height, bottom=4)
        piece.floating = True
        return [piece]
    metrics = SOURCE if kind == "source" else body
    pieces = [_heading_piece(block["heading"], width)] if block.get("heading") else []
    for index, item in enumerate(block["items"]):
        pieces += _item_pieces(index, item, metrics, width)
    if not pieces:
        return []
    if kind == "source":  # rule and padding above the first part
        pieces[0].margin_top = 4
        pieces[0].height += 2 + 0.3
    pieces[-1].margin_bottom = max(pieces[-1].margin_bottom, 4)
    return pieces


def _stack(height, last, pieces):
    """(height, last piece) of a column ``height`` mm tall that ends in ``last`` (None when
    empty), once ``pieces`` are put below."""
    for piece in pieces:
        if last is not None:
            height += max(last.margin_bottom, piece.margin_top)
        height += piece.height
        last = piece
    return height, last


def column_height(pieces):
    """Height of pieces one below the other, their margins collapsed (none at the top)."""
    return _stack(0.0, None, pieces)[0]


# The header of the first page ------------------------------------------------------------------


def header_height(sheet):
    """Height of the band, the intro and the key figures above the first page's columns."""
    inner = CONTENT_WIDTH - 2 * 9
    height = 8 + 7 + 3  # the band's padding and its coloured rule
    if sheet.get("label"):
        height += pt(12 * 1.2)
    height += text_height([(sheet.get("title", ""), "extrabold")], inner, 20, 1.2, uppercase=True)
    if sheet.get("subtitle"):
        height += 2 + text_height([(sheet["subtitle"], "semibold")], inner, 12, NORMAL)
    if sheet.get("part_of"):
        height += 1.5 + text_height([(sheet["part_of"], "regular")], inner, 9, NORMAL)
    intro = sheet.get("intro") or []
    if intro:
        height += 5 + 4 + 2 * (len(intro) - 1)
        height += sum(text_height([(p, "italic")], CONTENT_WIDTH, 10, 1.45) for p in intro)
    figures = sheet.get("key_figures") or []
    if figures:
        label_width = (CONTENT_WIDTH - 2 * 4) * 0.23
        rows = [figures[start : start + 4] for start in range(0, len(figures), 4)]
        height += 2 * 3 + 5  # padding, the margin below
        for row in rows:
            height += pt(22 * 1.1) + max(
                text_height([(figure["label"], "regular")], label_width, 8, 1.3) for figure in row
            )
    return height


# Filling the columns -----------------------------------------------------------------------------


def _units(pieces):
    """The pieces in runs that stay together: a heading with what follows it."""
    units, current = [], []
    for piece in pieces:
        current.append(piece)
        if not piece.keep:
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def _split_to_fit(height, last, unit, capacity):
    """``unit`` with its last piece split so that its first part fits below a column of
    ``height`` ending in ``last``: (the part that fits, the rest), or None."""
    piece = unit[-1]
    if piece.lines is None:
        return None
    for count in range(len(piece.lines) - 2, 1, -1):
        first, rest = piece.split(count)
        if _stack(height, last, [*unit[:-1], first])[0] <= capacity:
            return [*unit[:-1], first], [rest]
    return None


def _take(units, capacity):
    """Fill one column of ``capacity`` mm from ``units``: returns (its pieces, the units
    left). A paragraph or list item that does not fit is split if it can be. A floating unit
    that does not fit waits for the next column while the text after it fills this one
    (floats keep their order). The column takes at least one unit, so a unit taller than a
    column still moves on (and breaks across the page)."""
    column, waiting, rest = [], [], list(units)
    height, last = 0.0, None
    while rest:
        unit = rest[0]
        if waiting and unit[0].floating:
            break
        below = _stack(height, last, unit)
        if below[0] <= capacity or not (column or waiting):
            column += rest.pop(0)
            height, last = below
        elif unit[0].floating and not waiting:
            waiting.append(rest.pop(0))
        else:
            split = _split_to_fit(height, last, unit, capacity)
            if split is not None:
                # The rest of the split paragraph opens the next column, before any float.
                column += split[0]
                rest[0] = split[1]
                return column, [rest.pop(0), *waiting, *rest]
            break
    return column, waiting + rest


def _last_page(units, capacity):
    """The two columns of the last page, balanced, or None when the units need more than
    one page: the left column as short as it can be with the right one no taller."""

    def fill(left_capacity):
        left, rest = _take(units, left_capacity)
        right, rest = _take(rest, capacity)
        return left, right, not rest and column_height(right) <= column_height(left)

    left, right, fits = fill(capacity)
    if not fits:
        left, rest = _take(units, capacity)
        right, rest = _take(rest, capacity)
        return None if rest else (left, right)
    low, high = 0.0, capacity
    while high - low > 0.5:
        middle = (low + high) / 2
        candidate_left, candidate_right, fits = fill(middle)
        if fits:
            left, right, high = candidate_left, candidate_right, middle
        else:
            low = middle
    return left, right


def split_pages(sheet, blocks):
    """``blocks`` in the columns of the PDF's pages: ``[{"left": [...], "right": [...],
    "heights": [mm, mm]}]``, each column a list of blocks. A block split between columns is
    in both, each part with only the items (paragraphs, list items) it holds; the parts after
    the first have no heading and are ``continued``."""
    body = OVERVIEW_BODY if sheet.get("kind") == "overzicht" else BODY
    pieces = []
    for index, block in enumerate(blocks):
        own = block_pieces(block, body)
        for number, piece in enumerate(own):
            piece.block, piece.number, piece.count = index, number, len(own)
        pieces += own
    units = _units(pieces)
    pages = []
    capacity = PAGE_HEIGHT - header_height(sheet) - SAFETY
    while units:
        columns = _last_page(units, capacity)
        if columns is None:
            left, units = _take(units, capacity)
            right, units = _take(units, capacity)
            columns = (left, right)
        else:
            units = []
        pages.append(
            {
                "left": _column(blocks, columns[0]),
                "right": _column(blocks, columns[1]),
                "heights": [round(column_height(column), 1) for column in columns],
            }
        )
        capacity = PAGE_HEIGHT - SAFETY
    return pages


def _column(blocks, pieces):
    """The blocks of one column: whole blocks as they are, a part of a split block with only
    the items its pieces stand for."""
    groups = []
    for piece in pieces:
        if groups and groups[-1][-1].block == piece.block:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return [_part(blocks[group[0].block], group) for group in groups]


def _text_part(text, piece):
    """The part of a paragraph's or list item's text that ``piece`` stands for."""
    return text[piece.start : piece.end].strip()


def _part(block, pieces):
    if len(pieces) == pieces[0].count and not any(piece.fragment for piece in pieces):
        return block
    continued = pieces[0].number > 0 or pieces[0].start > 0
    part = {**block, "items": [], "continued": continued}
    if continued:
        part["heading"] = ""
    lists = {}
    for piece in pieces:
        if piece.item == "heading":
            continue
        item = block["items"][piece.item]
        if piece.part is None:
            if piece.fragment:
                item = {**item, "text": _text_part(item["text"], piece)}
                if piece.start:
                    item.update(lead="", continued=True)
            part["items"].append(item)
            continue
        entry = item["items"][piece.part]
        if piece.fragment:
            entry = _text_part(entry, piece)
        if piece.item in lists:
            lists[piece.item]["items"].append(entry)
        else:
            lists[piece.item] = {**item, "items": [entry], "continued": piece.start > 0}
            part["items"].append(lists[piece.item])
    return part
