"""What the figure rules find: wage statistics, growth projections and employment counts, each with
the place it is about and the units of text that state it."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ingest.entities import Mention
from ingest.places import Place


@dataclass(eq=False)
class RegionRef:
    key: str
    place: Place
    mention: Mention | None     # the mention in the evidence, when the text names the place there
    how: str                    # named | carried | document | national-word | state-word


@dataclass(eq=False)
class Value:
    measure: str                # median | mean | low | high | percentile10/25/75/90 | unspecified (the text does not say)
    amount: Decimal
    qualifier: str | None
    unit: object


@dataclass(eq=False)
class WageRecord:
    region: RegionRef | None    # None: the text does not say where (never a default place)
    period: str                 # Hour | Year
    values: list[Value]
    units: list                 # evidence units
    extractor: str
    confidence: float
    block: int
    role: Mention | None = None
    reference_year: int | None = None
    employment: tuple[Decimal, str | None] | None = None
    experience: str | None = None
    source: Mention | None = None
    industry: str | None = None     # the industry the figures are for, as the text names it ("Hospitals")
    kind: str = "WageStatistic"


@dataclass(eq=False)
class GrowthRecord:
    region: RegionRef | None
    units: list
    extractor: str
    confidence: float
    percent: Decimal | None = None
    qualifier: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    annual_openings: Decimal | None = None
    role: Mention | None = None
    source: Mention | None = None
    kind: str = "GrowthProjection"


@dataclass(eq=False)
class EmploymentRecord:
    region: RegionRef | None
    count: Decimal
    qualifier: str | None
    units: list
    extractor: str
    confidence: float
    role: Mention | None = None
    reference_year: int | None = None
    source: Mention | None = None
    industry: str | None = None
    kind: str = "EmploymentStatistic"
