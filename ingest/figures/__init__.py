"""Figures: wage statistics, growth projections and employment counts.

Prose: each dollar amount in a sentence about pay becomes a value; its measure is the nearest
measure word before it ("median", "average"), a range "$73,333 to $93,333" gives low and high,
its pay period is the nearest period word ("an hour", "annual salary") or else its size, and its
region is the nearest place named in the sentence ("national" is the United States, "the state"
the state the document is about). A sentence that names no place keeps the place of the figure
before it in the same paragraph, else the document's own region.

Lists: "Fresno - $51,200" is a place and an amount; the lead-in and the sentences before
it in the section give what the amount measures. Tables: header cells name the columns.

Growth: a percentage in a sentence about growth, with its years ("from 2021 to 2031",
"through 2024") and source ("according to the BLS"). Employment: a count followed by a role.
"""
from ingest.figures.context import Context
from ingest.figures.extractor import FigureExtractor, find_figures
from ingest.figures.records import (
           EmploymentRecord,
           GrowthRecord,
           RegionRef,
           Value,
           WageRecord,
)

__all__ = ["Context", "FigureExtractor", "find_figures", "EmploymentRecord", "GrowthRecord", "RegionRef", "Value",
           "WageRecord"]
