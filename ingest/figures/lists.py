"""Figures in lists: "Fresno - $51,200" is a place (or role) and its pay; the lead-in and the
sentences before it in the section say what the amounts measure ("Median pay by city:")."""
from __future__ import annotations

import re

from ingest.confidence import FIGURES as CONFIDENCE
from ingest.figures.cues import measure_cue
from ingest.figures.records import RegionRef
from ingest.quantities import Figure, find_money, find_reference_year
from ingest.places import Place, read_place


_BY_INDUSTRY = re.compile(r"(?i)\b(?:by|per|across)\s+(?:industry|industries|work setting|setting|employer type|sector)\b|"
                          r"\btop[- ]paying industries\b|\bindustries\b.*:\s*$")


class ListRules:
    # "Fresno - $51,200", "Colorado Springs, CO: annual mean wage of $50,940"
    _ITEM = re.compile(r"^(?P<name>[^$:|]{2,120}?)\s*(?:[-:|=]|\.{2,})\s*(?P<rest>(?:[A-Za-z][A-Za-z ]{0,40}?\s)?\$.*)$")

    def list_item(self, unit, block_units: list) -> bool:
        """'Fresno - $51,200': a place (or role) and its pay."""
        text = self.context.unit_text(unit)
        match = self._ITEM.match(text)
        if not match:
            return False
        money = find_money(match.group("rest"))
        if not money:
            return False
        lead = [u for u in block_units if u.kind == "sentence" and u.start < unit.start]
        lead_text = " ".join(self.context.unit_text(u) for u in lead[-2:])
        name = match.group("name").strip()
        # "Colorado statewide", "Ohio (statewide)": the state itself
        name = re.sub(r"\s*\(?\b(?:statewide|state-wide|overall)\)?$", "", name, flags=re.IGNORECASE) or name
        if _BY_INDUSTRY.search(lead_text):
            return self._industry_item(unit, text, match, lead, lead_text, name)
        lead_places = {m.key: m for u in lead for m in self.context.mentions(u, "Region")}
        lead_place = (RegionRef(*next(iter((m.key, m.place) for m in lead_places.values())), None, "carried")
                      if len(lead_places) == 1 else None)
        place = read_place(self.context.vocabulary, name, self.regions.state_for_rows(unit, lead_place))
        role = next(iter(self.context.mentions(unit, "Role")), None)
        if place is None and role is None:
            return False
        offset = match.start("rest")
        # what the amounts measure comes from the lead-in ("Median pay by city:"); unqualified, they
        # are read as averages, the usual sense of "the salary in X"
        cue_text = lead_text + " " + unit.section
        default_measure = measure_cue(lead_text, len(lead_text))
        shifted = [Figure(f.start + offset, f.end + offset, f.value, f.qualifier) for f in money]
        region = self._item_region(unit, place, name) if place is not None else None
        records = self._wages(unit, text, shifted, default_measure, cue_text, region)
        for record in records:
            record.extractor, record.confidence = "wage-list-item", CONFIDENCE["wage-list-item"]
            if record.reference_year is None:
                record.reference_year = find_reference_year(lead_text)
            if record.role is None:
                record.role = next(iter(m for u in lead for m in self.context.mentions(u, "Role")), None)
        self.records.extend(records)
        return True

    def _industry_item(self, unit, text: str, match, lead: list, lead_text: str, name: str) -> bool:
        """'Offices of physicians: $44,920' under 'Mean annual wage by industry:': the item names an
        industry, never a place; the place is the one the lead-in, heading or title gives, else none."""
        money = find_money(match.group("rest"))
        offset = match.start("rest")
        shifted = [Figure(f.start + offset, f.end + offset, f.value, f.qualifier) for f in money]
        default_measure = measure_cue(lead_text, len(lead_text))
        places = {m.key: m for u in lead for m in self.context.mentions(u, "Region")}
        region = (RegionRef(*next(iter((m.key, m.place) for m in places.values())), None, "carried") if len(places) == 1
                  else self.regions.place_of_section(unit))
        records = self._wages(unit, text, shifted, default_measure, lead_text + " " + unit.section, region)
        for record in records:
            if record.region is None:
                record.region = region
            record.industry = " ".join(name.split())
            record.extractor, record.confidence = "wage-list-item", CONFIDENCE["wage-list-item"]
            if record.reference_year is None:
                record.reference_year = find_reference_year(lead_text)
        self.records.extend(records)
        return bool(records)

    def _item_region(self, unit, place: Place, name: str) -> RegionRef:
        mention = self._ensure_place_mention(unit, place, name)
        return RegionRef(place.key, place, mention, "named")
