"""Parsing tables: header cells to column meanings, rows to cells (the figures read them: ingest.figures.tables).

Handles pipe and tab tables (cells given) and tables whose cells were run together when the
page was scraped ("LocationPay TypeLowMedianHigh" over "Dayton, OH MSAHourly$14.10$54.63$33.90"):
the header is split at its lower-to-upper seams and a row is read as location, then the pay
type word, then one dollar amount per remaining column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import lexicon
from ingest.quantities import find_percentages, find_year_range, to_decimal

_PAY_TYPE_WORDS = r"Hourly|Annual|Annually|Yearly|Monthly|Weekly|Hour|Year|Salary"
_PACKED_ROW = re.compile(r"^(?P<label>.*?)(?P<period>" + _PAY_TYPE_WORDS + r")?\s*(?P<values>(?:\$\s?[\d,]+(?:\.\d+)?\s*)+)$")


@dataclass
class Column:
    header: str
    role: str                  # location | period | measure | range | employment | growth | job | other
    measure: str | None = None
    period: str | None = None  # Hour | Year when the header says so ("Hourly Median")
    years: tuple[int | None, int | None] = (None, None)


@dataclass
class Row:
    cells: list[str]                              # cell texts in column order
    cell_spans: list[tuple[int, int]] = field(default_factory=list)  # document offsets


def split_packed_header(text: str) -> list[str]:
    """'LocationPay TypeLowMedianHigh' -> ['Location', 'Pay Type', 'Low', 'Median', 'High']."""
    return [part.strip() for part in re.split(r"(?<=[a-z0-9%)])(?=[A-Z])", text) if part.strip()]


def period_of_word(word: str) -> str | None:
    lowered = word.lower()
    if any(w in lowered for w in ("hour", "/hr")):
        return "Hour"
    if any(w in lowered for w in ("annual", "year", "salary", "/yr")):
        return "Year"
    return None


def classify_column(header: str) -> Column:
    lowered = re.sub(r"\s+", " ", header.lower().strip(" *:"))
    if lowered in lexicon.LOCATION_COLUMNS:
        return Column(header, "location")
    if lowered in lexicon.PERIOD_COLUMNS:
        return Column(header, "period")
    if lowered in {"role", "job title", "occupation", "position", "job", "title", "career"}:
        return Column(header, "job")
    if any(w in lowered for w in lexicon.EMPLOYMENT_COLUMNS) and "per " not in lowered:
        return Column(header, "employment")   # "Employment per 1,000 jobs" is a rate, not a count
    if "range" in lowered and any(w in lowered for w in ("salary", "wage", "pay")):
        return Column(header, "range", None, period_of_word(lowered))
    if any(w in lowered for w in ("growth", "change", "outlook", "projected")):
        return Column(header, "growth", years=find_year_range(header))
    percentile = re.fullmatch(r"(10|25|75|90)\s*%", lowered)
    if percentile:
        return Column(header, "measure", f"percentile{percentile.group(1)}", None)
    measure = None
    for word, value in sorted(lexicon.COLUMN_MEASURES.items(), key=lambda kv: -len(kv[0])):
        if re.search(r"\b" + re.escape(word) + r"\b", lowered):
            measure = value
            break
    if measure is None and any(w in lowered for w in ("wage", "salary", "pay", "earnings")):
        measure = "mean" if "average" in lowered or "mean" in lowered else None
    if measure is not None:
        return Column(header, "measure", measure, period_of_word(lowered))
    return Column(header, "other")


def read_columns(header_text: str, cells: list[str] | None) -> list[Column]:
    headers = cells if cells else split_packed_header(header_text)
    return [classify_column(h) for h in headers]


def read_packed_row(text: str, start: int, columns: list[Column]) -> Row | None:
    """Cells of a run-together row, given its columns."""
    match = _PACKED_ROW.match(text)
    if not match:
        return None
    amounts = [(m.start() + match.start("values"), m.end() + match.start("values"))
               for m in re.finditer(r"\$\s?[\d,]+(?:\.\d+)?", match.group("values"))]
    cells: list[str] = []
    spans: list[tuple[int, int]] = []
    label_end = match.end("label")
    label = text[:label_end].rstrip()
    amount_iter = iter(amounts)
    for column in columns:
        if column.role in ("location", "job") and not cells:
            cells.append(label)
            spans.append((start, start + len(label)))
        elif column.role == "period":
            period = match.group("period") or ""
            cells.append(period)
            spans.append((start + match.start("period"), start + match.end("period")) if period else (start, start))
        else:
            amount = next(amount_iter, None)
            if amount is None:
                cells.append("")
                spans.append((start, start))
            else:
                cells.append(text[amount[0]:amount[1]])
                spans.append((start + amount[0], start + amount[1]))
    return Row(cells, spans)


@dataclass
class ParsedTable:
    """A table block read once: its columns and each row line with its cells (None when unreadable)."""
    block: int
    columns: list[Column]
    rows: list[tuple[object, Row | None]]    # (ingest.layout.Line, Row)


def parse_tables(layout, text: str) -> dict[int, ParsedTable]:
    """Every table of a document that has a header, by block index. The figure rules and the search
    index rendering both read these, so a table is parsed once."""
    tables: dict[int, ParsedTable] = {}
    for index, block in enumerate(layout.blocks):
        if block.kind != "table":
            continue
        header = next((line for line in block.lines if line.kind == "table_header"), None)
        if header is None:
            continue
        header_cells = [text[s:e] for s, e in header.cells] if header.cells else None
        columns = read_columns(text[header.start:header.end], header_cells)
        rows = [(line, read_cell_row(text, line.cells) if line.cells
                 else read_packed_row(text[line.start:line.end], line.start, columns))
                for line in block.lines if line.kind == "table_row"]
        tables[index] = ParsedTable(index, columns, rows)
    return tables


def read_cell_row(text: str, cell_spans: list[tuple[int, int]]) -> Row:
    return Row([text[s:e] for s, e in cell_spans], list(cell_spans))


def percent_of(cell: str):
    figures = find_percentages(cell)
    return figures[0] if figures else None


def count_of(cell: str):
    match = re.search(r"\d{1,3}(?:,\d{3})+|\d+", cell)
    return to_decimal(match.group()) if match else None


# ---------------------------------------------------------------- credential / issuer tables
#
# A table pairs credentials with the bodies that issue them when one column holds credentials and
# another the issuer, whatever the header words ("Issued by", "Awarding body", "Organization",
# "Credentialing organization", "Source"). A column whose header names another role (a testing
# vendor, a school or course, a publisher, an employer that reimburses, an accreditor, a chapter
# that hosts reviews) is never the issuer column, even when it also holds organizations.

_CREDENTIAL_HEADER = re.compile(lexicon.CREDENTIAL_HEADER, re.IGNORECASE)
_ISSUER_HEADER = re.compile(lexicon.ISSUER_HEADER, re.IGNORECASE)
_OTHER_ROLE_HEADER = re.compile(lexicon.OTHER_ROLE_HEADER, re.IGNORECASE)


def issuer_column(headers: list[str]) -> int | None:
    """The column of a table's header that names who issues (None when no column does, or two do)."""
    found = [i for i, header in enumerate(headers)
             if _ISSUER_HEADER.search(header) and not _OTHER_ROLE_HEADER.search(header)]
    return found[0] if len(found) == 1 else None


def credential_column(headers: list[str], issuer: int | None) -> int | None:
    """The first column other than the issuer's whose header names credentials."""
    return next((i for i, header in enumerate(headers) if i != issuer and _CREDENTIAL_HEADER.search(header)), None)
