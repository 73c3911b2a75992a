"""What reading one corpus file may cost, and the checks that stop a conversion when it costs more.

A small file can hold a great deal: a Word file is a zip (a 200 kB "zip bomb" inflates to hundreds of
megabytes of XML), a PDF stream is deflated (3 MB inflate to gigabytes), a table cell may span thirty
million columns, a 4 MB PDF may hold 50,000 pages. The file-size limit (ingest.reader) sees none of
that, so a conversion also counts what it makes: the characters of text, the bytes it decompresses,
the pages of a PDF and the cells of each table, and stops with `LimitExceeded` (an UnreadableFormat:
the file is named and skipped) the moment one is passed, before the excess is built. Time and memory
are bounded from outside, by the process that runs the conversion (ingest.pool.GuardedPool).

Every limit has a setting: a flag of `python -m ingest` and an environment variable (`SETTINGS`,
README "Security and limits").
"""
from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

from ingest.formats.errors import UnreadableFormat


@dataclass(frozen=True)
class Limits:
    """The most one file may cost to read. Defaults: well above any real career document (the largest
    of the development sets is 60 kB of text), well below what would stall an ingest."""
    document_bytes: int = 5_000_000          # the file as stored (ingest.reader): a dense 2 MB text takes about
    #                                          200 s of CPU and 3 GB of memory to extract
    text_chars: int = 5_000_000              # the text made from an HTML, PDF or Word file
    decompressed_bytes: int = 100_000_000    # what a Word file's zip or a PDF's streams inflate to, in all
    pages: int = 1_000                       # pages of a PDF
    table_cells: int = 100_000               # cells of one table, rows times its widest row
    seconds: float = 60.0                    # converting one file
    memory_bytes: int = 1_000_000_000        # the converting process's resident memory


@dataclass(frozen=True)
class Setting:
    field: str
    flag: str
    environment: str
    unit: str           # how the setting is written: "MB" (scaled to bytes), "count", "seconds"
    help: str


SETTINGS = (
    Setting("document_bytes", "--max-document-mb", "MBC_MAX_DOCUMENT_MB", "MB",
            "skip (and name) a file larger than this"),
    Setting("text_chars", "--max-text-chars", "MBC_MAX_TEXT_CHARS", "count",
            "skip an HTML, PDF or Word file whose text runs longer than this many characters"),
    Setting("decompressed_bytes", "--max-decompressed-mb", "MBC_MAX_DECOMPRESSED_MB", "MB",
            "skip a Word file or PDF that inflates to more than this"),
    Setting("pages", "--max-pages", "MBC_MAX_PAGES", "count", "skip a PDF of more pages than this"),
    Setting("table_cells", "--max-table-cells", "MBC_MAX_TABLE_CELLS", "count",
            "skip a file with a table of more cells than this (rows times the widest row)"),
    Setting("seconds", "--convert-timeout", "MBC_CONVERT_TIMEOUT", "seconds",
            "stop converting an HTML, PDF or Word file after this many seconds and skip it"),
    Setting("memory_bytes", "--convert-memory-mb", "MBC_CONVERT_MEMORY_MB", "MB",
            "stop converting a file once its process uses more memory than this and skip it"),
)


def _parse(setting: Setting, value) -> int | float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{setting.environment} / {setting.flag}: {value!r} is not a number") from None
    if not number > 0 or number != number or number == float("inf"):
        raise ValueError(f"{setting.flag} ({setting.environment}) must be a positive number, not {value}")
    if setting.unit == "MB":
        return int(number * 1_000_000)
    if setting.unit == "count":
        if number != int(number):
            raise ValueError(f"{setting.flag} ({setting.environment}) must be a whole number, not {value}")
        return int(number)
    return number


def limits_from(overrides: dict | None = None, environ=None) -> Limits:
    """The limits in force: each given override (a setting's field name -> the value as written, e.g. MB),
    else its environment variable, else the default. Raises ValueError naming a bad value."""
    environ = os.environ if environ is None else environ
    overrides = overrides or {}
    values = {}
    for setting in SETTINGS:
        given = overrides.get(setting.field)
        if given is None:
            given = (environ.get(setting.environment) or "").strip() or None
        if given is not None:
            values[setting.field] = _parse(setting, given)
    return replace(Limits(), **values)


def describe(limits: Limits, field: str) -> str:
    """A limit as a person reads it: "100 MB", "60 s", "100,000"."""
    setting = _setting(field)
    value = getattr(limits, field)
    return {"MB": f"{value / 1e6:g} MB", "seconds": f"{value:g} s"}.get(setting.unit, f"{value:,}")


def hint(field: str) -> str:
    """How to raise a limit: "raise it with --max-pages or MBC_MAX_PAGES"."""
    setting = _setting(field)
    return f"raise it with {setting.flag} or {setting.environment}"


def _setting(field: str) -> Setting:
    return next(s for s in SETTINGS if s.field == field)


assert {f.name for f in fields(Limits)} == {s.field for s in SETTINGS}


class LimitExceeded(UnreadableFormat):
    """A conversion passed one of the limits; the reason names it and the setting that raises it."""


# The limits of the conversion under way in this process (set by ingest.formats.convert). An ambient value
# rather than an argument threaded through every renderer: the checks sit deep in the converters
# (a table's rows, a PDF stream's decompression inside pdfminer) and the value is the same for all of them.
_active: contextvars.ContextVar["Budget | None"] = contextvars.ContextVar("conversion_budget", default=None)


class Budget:
    """What one conversion has spent so far, against its limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.decompressed = 0
        self.exceeded: LimitExceeded | None = None    # kept: a library may swallow the exception

    def fail(self, reason: str, field: str) -> LimitExceeded:
        self.exceeded = LimitExceeded(f"{reason} ({hint(field)})")
        return self.exceeded

    def decompress(self, size: int, what: str = "its compressed parts") -> None:
        """Count `size` more bytes of decompressed data; raises LimitExceeded past the limit."""
        self.decompressed += size
        if self.decompressed > self.limits.decompressed_bytes or self.exceeded is not None:
            raise self.exceeded or self.fail(f"{what} inflate to more than the limit of "
                                             f"{describe(self.limits, 'decompressed_bytes')}", "decompressed_bytes")

    def room(self) -> int:
        """Bytes that may still be decompressed."""
        return max(self.limits.decompressed_bytes - self.decompressed, 0)

    def text(self, characters: int) -> None:
        if characters > self.limits.text_chars:
            raise self.fail(f"its text runs past the limit of {self.limits.text_chars:,} characters", "text_chars")

    def table(self, rows: int, width: int) -> None:
        if rows * width > self.limits.table_cells:
            raise self.fail(f"a table of {rows:,} row{'s' if rows > 1 else ''} and {width:,} columns is over the "
                            f"limit of {self.limits.table_cells:,} cells", "table_cells")

    def pages(self, count: int) -> None:
        if count > self.limits.pages:
            raise self.fail(f"the PDF has more pages than the limit of {self.limits.pages:,}", "pages")


def budget() -> Budget:
    """The budget of the conversion under way (the default limits outside one)."""
    active = _active.get()
    return active if active is not None else Budget(Limits())


@contextmanager
def spending(limits: Limits):
    """Run a conversion against `limits`; `budget()` inside it is this conversion's."""
    current = Budget(limits)
    token = _active.set(current)
    try:
        yield current
    finally:
        _active.reset(token)
