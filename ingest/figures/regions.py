"""The place a figure is about: the nearest place named before it in its sentence ("national" is the
United States, "the state" the state the document is about); else the place carried from earlier in
the paragraph or set by a "Location:" line; else the document's own region."""
from __future__ import annotations

import re

from ingest.figures.context import Context
from ingest.figures.records import RegionRef
from ingest.regions import country_place, state_place

_STATE_WORDS = re.compile(r"\b(?:the|this|our|your) state\b|\bstatewide\b|\bin-state\b", re.IGNORECASE)
_NATIONAL_WORDS = re.compile(r"\b(?:national|nationwide|nationally|the nation|the country|countrywide|across the us)\b",
                             re.IGNORECASE)


def region_cues(context: Context, unit) -> list[tuple[int, RegionRef]]:
    """Places a unit names, with their positions in the unit's normalized text."""
    text = context.unit_text(unit)
    cues: list[tuple[int, RegionRef]] = []
    for mention in context.mentions(unit, "Region"):
        cues.append((context.local(unit, mention), RegionRef(mention.key, mention.place, mention, "named")))
    for match in _NATIONAL_WORDS.finditer(text):
        place = country_place(context.vocabulary)
        cues.append((match.start(), RegionRef(place.key, place, None, "national-word")))
    if context.document_state is not None:
        for match in _STATE_WORDS.finditer(text):
            place = state_place(context.document_state)
            cues.append((match.start(), RegionRef(place.key, place, None, "state-word")))
    return sorted(cues, key=lambda c: c[0])


def nearest_region(cues: list[tuple[int, RegionRef]], position: int) -> RegionRef | None:
    """Nearest place before the figure; a place after it only when none comes before."""
    before = [c for c in cues if c[0] <= position]
    if before:
        return before[-1][1]
    after = [c for c in cues if c[0] > position]
    return after[0][1] if after else None


class RegionResolver:
    """Which place each figure of a document is about, remembering what each paragraph and
    section has named so far."""

    def __init__(self, context: Context):
        self.context = context
        self._regions_by_block: dict[int, list[RegionRef]] = {}
        self._section_region: dict[str, RegionRef] = {}   # from a "Location: Columbus, OH" line
        self._heading_region = self._regions_of_headings()

    def _regions_of_headings(self) -> dict[str, RegionRef]:
        """A heading that names one place ("Quick Facts: Coders, United States", "TENNESSEE") says
        where the figures of its section are, unless the section itself names another."""
        regions: dict[str, RegionRef] = {}
        for unit in self.context.units:
            if unit.kind != "heading":
                continue
            cues = region_cues(self.context, unit)
            if len({cue.key for _, cue in cues}) == 1:
                regions[unit.section] = RegionRef(cues[0][1].key, cues[0][1].place, None, "carried")
        return regions

    def set_section_region(self, section: str, region: RegionRef) -> None:
        self._section_region[section] = region

    def for_figure(self, unit, position: int) -> RegionRef:
        """The place a figure is about (see the module comment). A figure with no place of its own
        keeps the paragraph's place; a national comparison ("faster than the national rate")
        is not carried over when the paragraph named a place of its own."""
        cue = nearest_region(region_cues(self.context, unit), position)
        if cue is None:
            carried = self._regions_by_block.get(unit.block, [])
            local = [c for c in carried if c.how != "national-word"]
            cue = ((local or carried or [None])[-1] or self._section_region.get(unit.section)
                   or self._heading_region.get(unit.section))
            if cue is not None:
                cue = RegionRef(cue.key, cue.place, None, "carried")
        if cue is None:
            cue = self.context.default_region
        self._regions_by_block.setdefault(unit.block, []).append(cue)
        return cue

