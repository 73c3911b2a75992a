"""Figures in prose: each dollar amount in a sentence about pay is a value (its measure, period, place
and role from the words around it), a percentage in a sentence about growth is a projection (with
its years and source), a count before a role is employment or annual openings, and fact-sheet
lines ("Location: Columbus, OH", "Employment: 2,103") set a place or state a count."""
from __future__ import annotations

import re

from ingest import lexicon
from ingest.confidence import FIGURES as CONFIDENCE
from ingest.entities import Mention
from ingest.figures.cues import (
    experience,
    is_pay,
    measure_of,
    pay_period,
    ranges,
    role_of_figure,
    source,
    stated_period,
)
from ingest.figures.records import (
    EmploymentRecord,
    GrowthRecord,
    RegionRef,
    Value,
    WageRecord,
)
from ingest.figures.regions import region_cues
from ingest.quantities import (
    Figure,
    find_counts,
    find_money,
    find_percentages,
    find_reference_year,
    find_year_range,
    find_year_spans,
)
from ingest.places import country_place, read_place


def _same_place(one: RegionRef | None, other: RegionRef | None) -> bool:
    return (one.key if one else None) == (other.key if other else None)


class ProseRules:
    _LOCATION_LINE = re.compile(r"^(?:location|state|region|area|city|metro(?:politan)? area|place|market)\s*:\s*(?P<place>.+?)\.?$",
                                re.IGNORECASE)
    # "Employment: 2,103", "Employment in Georgia, May 2023: 8,920"
    _EMPLOYMENT_LINE = re.compile(r"^(?:total\s+)?(?:employment|jobs|number employed|workers employed|employed)"
                                  r"(?:\s*\([^)]*\))?(?:\s+(?:in|for)\s+[^:]{2,80})?\s*:\s*(?P<count>[\d,]+)",
                                  re.IGNORECASE)
    # "Average annual openings, 2022-2032: 870", "Annual job openings: 4,453"
    _OPENINGS_LINE = re.compile(r"^(?:average\s+|projected\s+)?(?:annual|yearly)\s+(?:job\s+)?openings"
                                r"(?:\s*\([^)]*\)|,?\s+[^:]{2,40})?\s*:\s*(?P<count>[\d,]+)\s*$", re.IGNORECASE)

    def _label_lines(self, unit, text: str) -> bool:
        """Fact-sheet lines: "Location: Columbus, OH" sets the section's place, "Employment: 2,103" is a count."""
        location = self._LOCATION_LINE.match(text)
        if location:
            cues = region_cues(self.context, unit)
            if cues:
                self.regions.set_section_region(unit.section, cues[0][1])
                return True
            place = read_place(self.context.vocabulary, location.group("place"), self.context.document_state)
            if place is not None:
                self.regions.set_section_region(unit.section, RegionRef(place.key, place, None, "named"))
                return True
        openings = self._OPENINGS_LINE.match(text)
        if openings:
            figure = [f for f in find_counts(text) if f.start >= openings.start("count")]
            if figure:
                start_year, end_year = find_year_range(text)
                self.records.append(GrowthRecord(
                    region=self.region_for(unit, 0), units=[unit], extractor="openings-sentence",
                    confidence=CONFIDENCE["openings-sentence"], annual_openings=figure[0].value,
                    qualifier=figure[0].qualifier, start_year=start_year, end_year=end_year,
                    role=next(iter(self.context.mentions(unit, "Role")), None), source=source(self.context, unit)))
                return True
        employment = self._EMPLOYMENT_LINE.match(text)
        if employment:
            figure = [f for f in find_counts(text) if f.start >= employment.start("count")]
            if figure:
                self.records.append(EmploymentRecord(
                    region=self.region_for(unit, 0), count=figure[0].value, qualifier=figure[0].qualifier,
                    units=[unit], extractor="employment-sentence", confidence=CONFIDENCE["employment-sentence"],
                    role=next(iter(self.context.mentions(unit, "Role")), None),
                    reference_year=find_reference_year(text), source=source(self.context, unit)))
                return True
        return False

    def sentence(self, unit) -> None:
        text = self.context.unit_text(unit)
        if self._label_lines(unit, text):
            return
        money = find_money(text)
        if not money:
            self._place_line(unit, text)
        wages = self._wages(unit, text, money, default_measure=None) if money else []
        self.records.extend(wages)
        self._growth(unit, text)
        self._counts(unit, text, wages)

    # "compared with 8 percent nationally", "above the 4.1% projected nationally", "the 5% expected nationwide"
    _NATIONAL_AFTER = re.compile(r"^\s*(?:percent|per cent|%)?\s*(?:(?:an?|per)\s+(?:hour|year)\s*)?"
                                 r"(?:(?:projected|expected|forecast|predicted|estimated|reported|seen|anticipated)\s+)?"
                                 r"(?:nationally|nationwide|across the (?:country|nation|U\.S\.|US))\b", re.IGNORECASE)

    def _national_after(self, text: str, end: int) -> RegionRef | None:
        """'compared with 8 percent nationally': a national word right after the figure names its place."""
        if not self._NATIONAL_AFTER.match(text[end:end + 40]):
            return None
        place = country_place(self.context.vocabulary)
        return RegionRef(place.key, place, None, "national-word")

    def _place_line(self, unit, text: str) -> None:
        """'Milwaukee, WI 53226 - Hybrid work' on a line of its own (a job card, an address line under a
        heading): the place of the section's figures that name none."""
        places = [m for m in self.context.mentions(unit, "Region") if self.context.local(unit, m) == 0]
        if places and len(text.split()) <= 8 and not re.search(r"[.!?]$", text) and places[0].place.region_class \
                not in ("Country", "State"):
            self.regions.set_section_region(unit.section, RegionRef(places[0].key, places[0].place, places[0], "named"))

    # "$5.73 more per hour than ...", "a $1,500 sign-on bonus": a difference or a bonus, not a wage
    _DIFFERENCE_AFTER = re.compile(r"^\s*(?:(?:an?|per)\s+(?:hour|year)\s+)?(?:more|less|higher|lower|extra|above|"
                                   r"below|over the|raise|bonus|differential|increase)\b", re.IGNORECASE)
    _DIFFERENCE_BEFORE = re.compile(r"\b(?:bonus|raise|differential|increase|premium|stipend|reimbursement|allowance)"
                                    r"\s+(?:of\s+)?(?:up to\s+|about\s+|around\s+)?$|\bby\s+(?:about\s+|around\s+)?$",
                                    re.IGNORECASE)
    # "I started at $20/hr", "my first job paid $17": one person's pay, not a statistic of a place
    _FIRST_PERSON = re.compile(r"(?:\bI(?:'m|'ve|'d)?\s+(?:\w+\s+){0,3}?(?:started|start|make|made|making|earn|earned|"
                               r"earning|got|get|was|am|took|negotiated|asked)\b|\b[Mm]y\s+(?:\w+\s+){0,2}?(?:job|offer|"
                               r"salary|pay|wage|rate|raise|paycheck|employer)\b)[^.;!?]*$")

    def _respectively(self, unit, text: str, count: int) -> list[RegionRef]:
        """'In Ohio and Kentucky, employment will grow 8% and 6%, respectively': the places in the order
        named, one for each figure; empty unless the sentence says "respectively" and the counts match."""
        if count < 2 or not re.search(r"\brespectively\b", text, re.IGNORECASE):
            return []
        places: list[RegionRef] = []
        for _, cue in region_cues(self.context, unit):
            if all(p.key != cue.key for p in places):
                places.append(cue)
        return places if len(places) == count else []

    def _not_a_wage(self, text: str, figure: Figure, window_start: int) -> bool:
        if self._DIFFERENCE_AFTER.match(text[figure.end:figure.end + 30]):
            return True
        if self._DIFFERENCE_BEFORE.search(text[max(0, figure.start - 40):figure.start]):
            return True
        clause = re.split(r"[.;!?]\s", text[window_start:figure.start])[-1]
        return bool(self._FIRST_PERSON.search(clause))

    def _wages(self, unit, text: str, money: list[Figure], default_measure: str | None,
               context_text: str = "", region: RegionRef | None = None) -> list[WageRecord]:
        """A value for each pay figure. Its measure is the one the text names (else "unspecified": never
        a mean by default), its experience level one named since the figure before it, its place the
        one the text gives it (else none)."""
        records: list[WageRecord] = []
        roles = self.context.mentions(unit, "Role")
        previous_end = 0
        previous_period = None
        paired = ranges(text, money)
        in_order = self._respectively(unit, text, len(paired))
        for low, high in paired:
            window_start, previous_end = previous_end, (high or low).end
            # the period written right after the figure ("$28.77 an hour"), not one guessed from its size
            last_period, previous_period = previous_period, stated_period(text, high or low)
            if not is_pay(text, low, context_text) and not (high is not None and is_pay(text, high, context_text)):
                continue   # "$21 - $26 an hour": the period after the range's top says it is pay
            if self._not_a_wage(text, high or low, window_start):
                continue
            period = pay_period(text, high or low)
            if period not in ("Hour", "Year"):
                continue
            if high is not None:
                values = [Value("low", low.value, low.qualifier, unit), Value("high", high.value, None, unit)]
            else:
                measure = measure_of(text, low, default_measure, window_start,
                                     restates_period=None not in (last_period, previous_period)
                                     and last_period != previous_period) \
                    or "unspecified"
                values = [Value(measure, low.value, low.qualifier, unit)]
            end = (high or low).end
            where = region or (in_order.pop(0) if in_order else None) or self._national_after(text, end) \
                or self.region_for(unit, low.start, end)
            record = WageRecord(
                region=where, period=period, values=values, units=[unit],
                extractor="wage-sentence", confidence=CONFIDENCE["wage-sentence"], block=unit.block,
                role=role_of_figure(roles, self.context, unit, text, low.start),
                reference_year=find_reference_year(text), experience=experience(text, low.start, window_start),
                source=source(self.context, unit),
            )
            merged = next((r for r in records if _same_place(r.region, record.region) and r.period == record.period
                           and r.experience == record.experience
                           and not {v.measure for v in r.values} & {v.measure for v in record.values}
                           and "unspecified" not in {v.measure for v in r.values + record.values}), None)
            if merged is not None:
                merged.values.extend(record.values)
            else:
                records.append(record)
        return records

    def _growth(self, unit, text: str) -> None:
        lowered = text.lower()
        if not any(re.search(r"\b" + re.escape(w) + r"\b", lowered) for w in lexicon.GROWTH_WORDS):
            return
        roles = self.context.mentions(unit, "Role")
        previous_end = 0
        percentages = find_percentages(text)
        in_order = self._respectively(unit, text, len(percentages))
        years = self._years_of_figures(unit, text, percentages)
        for figure, (start_year, end_year) in zip(percentages, years):
            window_start, previous_end = previous_end, figure.end
            if self._another_occupation(lowered[window_start:figure.start]):
                continue
            before = lowered[max(0, figure.start - 60):figure.start]
            after = lowered[figure.end:figure.end + 60]
            if self._not_about_jobs(lowered, figure) or self._past_change(lowered, figure):
                continue
            if not any(w in before + " " + after for w in ("grow", "growth", "increase", "outlook", "rise", "rising",
                                                           "rose", "grew", "climb", "expand",
                                                           "project", "forecast", "decline", "decrease", "change", "jobs",
                                                           "employment", "opportunit", "demand", "faster", "slower",
                                                           "rate")):
                continue
            percent = figure.value
            if any(re.search(r"\b" + w + r"\b", before + " " + after) for w in lexicon.DECLINE_WORDS) and percent > 0:
                percent = -percent
            # "... projects 9.2%, compared with 8 percent nationally": the sentence's source said the first
            compared = window_start and re.search(r"\b(?:compared|than|versus|against|whereas|while)\b",
                                                  lowered[window_start:figure.start])
            self.records.append(GrowthRecord(
                region=(in_order[percentages.index(figure)] if in_order else None)
                or self._national_after(text, figure.end) or self.region_for(unit, figure.start, figure.end),
                units=[unit],
                extractor="growth-sentence",
                confidence=CONFIDENCE["growth-sentence"], percent=percent, qualifier=figure.qualifier,
                start_year=start_year, end_year=end_year,
                role=role_of_figure(roles, self.context, unit, text, figure.start),
                source=None if compared else source(self.context, unit)))

    # "..., while Massachusetts projects 4.9 percent over the same period": the years of the figure before
    _SAME_YEARS = re.compile(r"^\s*(?:(?:percent|per cent|%)\s*)?(?:\w+\s+){0,3}?(?:over|for|in|during|across)\s+the\s+"
                             r"same\s+(?:period|years|time(?:\s*frame)?|span|decade|ten\s+years|stretch|horizon)\b",
                             re.IGNORECASE)

    def _years_of_figures(self, unit, text: str, percentages: list[Figure]) -> list[tuple[int | None, int | None]]:
        """The years of each percentage of a sentence: the span written right after it (up to the next
        percentage: "grow 6.4 percent from 2020 to 2030, and Missouri 5.8 percent over 2022-2032"), or
        before the first one ("Between 2022 and 2032, ... 8%"); a figure "over the same period" has the
        years of the figure before it (in this sentence or earlier in the paragraph); any other figure has
        the sentence's span when it states only one, else none (two spans and no sign of which is its own)."""
        spans = find_year_spans(text)
        own: list[tuple[int | None, int | None] | None] = [None] * len(percentages)
        for span in spans:
            before = [i for i, f in enumerate(percentages) if f.end <= span.start]
            index = before[-1] if before else (0 if percentages else None)
            if index is not None and own[index] is None:
                own[index] = (span.start_year, span.end_year)
        distinct = {(s.start_year, s.end_year) for s in spans}
        shared = next(iter(distinct)) if len(distinct) == 1 else (None, None)
        years: list[tuple[int | None, int | None]] = []
        for index, figure in enumerate(percentages):
            if own[index] is not None:
                years.append(own[index])
            elif self._SAME_YEARS.match(text[figure.end:figure.end + 80]):
                earlier = years[-1] if years else self._paragraph_years(unit)
                years.append(earlier if earlier is not None else shared)
            else:
                years.append(shared)
        return years

    def _paragraph_years(self, unit) -> tuple[int | None, int | None] | None:
        """The years of the paragraph's last growth figure, for "... over the same period" in the next sentence."""
        for record in reversed(self.records):
            if isinstance(record, GrowthRecord) and record.percent is not None and record.units \
                    and record.units[0].block == unit.block:
                return (record.start_year, record.end_year) if record.end_year is not None else None
        return None

    # what a percentage in a sentence about growth may be about other than jobs: "membership grew 11
    # percent", "postings rose 20%", "salaries increased 3%"
    _OTHER_GROWTH = re.compile(r"\b(?:membership|members|enrollment|enrolment|revenue|revenues|salar(?:y|ies)|wages?|pay|"
                               r"claims?|postings?|volume|denials?|prices?|costs?|fees?|premiums?|applications?|"
                               r"attendance|traffic|sales|turnover|raises?|budgets?|profits?|spending|reimbursements?|"
                               r"pass rates?|scores?|registrations?|subscribers?|readers?)\b")
    _JOBS_WORDS = re.compile(r"\b(?:employment|jobs?|occupations?|positions|openings|workers|workforce|demand|"
                             r"outlook|projected|projections?|projects)\b")

    # "jobs for medical transcriptionists to decline 5%": the growth of another occupation
    _GOVERNED_OCCUPATION = re.compile(r"\b(?:jobs|employment|demand|openings|positions)\s+(?:for|of)\s+(?:the\s+|all\s+)?"
                                      r"(?P<np>[a-z][a-z -]{2,60}?)(?=\s+(?:to|is|are|will|should|may|in|over|from|by|"
                                      r"would|could)\b|,|$)")
    _DOMAIN_OCCUPATION = re.compile(r"\b(?:cod(?:er|ers|ing)|bill(?:er|ers|ing)|records?|health information|"
                                    r"occupations?|specialists?|technicians?|reimbursement|revenue cycle|claims)\b")

    def _another_occupation(self, lowered: str) -> bool:
        """The clause's growth is about an occupation outside billing, coding and health records."""
        governed = list(self._GOVERNED_OCCUPATION.finditer(lowered))
        return bool(governed) and not self._DOMAIN_OCCUPATION.search(governed[-1].group("np"))

    # "faster than the 7% projected for all occupations", "the average for all occupations (3%)": the growth
    # of every occupation together, another statistic
    _ALL_OCCUPATIONS_AFTER = re.compile(r"^\s*(?:percent|per cent|%)?\s*(?:\w+\s+){0,3}?(?:for|of|across|among)\s+"
                                        r"(?:all|every|the\s+(?:whole|entire|overall)|total)\s+(?:u\.?s\.?\s+)?"
                                        r"(?:occupations|jobs|workers|professions|careers|employment|industries|fields)")
    _ALL_OCCUPATIONS_BEFORE = re.compile(r"\b(?:all|every)\s+(?:occupations|jobs|professions|careers|fields)\b[^%$]{0,30}"
                                         r"(?:\(|of\s+|at\s+|is\s+|was\s+)?(?:about\s+|around\s+)?$")

    # "15% of coders", "40 percent of the jobs": a share (not "7% of growth", "the 5% of the projection")
    _SHARE_OF = re.compile(r"^\s*(?:percent|per cent|%)?\s*of\s+(?!(?:the\s+)?(?:growth|increase|change|projected|"
                           r"expected|projection|forecast)\b)")

    # "Employment in Portland grew 3% last year": a change that happened, not a projection
    _PAST = re.compile(r"\b(?:last|past|previous|prior)\s+(?:year|decade|\d+\s+years|few\s+years|twelve\s+months)\b|"
                       r"\bsince\s+(?:19|20)\d\d\b|\bso far\b|\byear[- ]over[- ]year\b|\bthis\s+(?:past\s+)?year\b")
    _FUTURE = re.compile(r"\b(?:project\w*|expect\w*|forecast\w*|predict\w*|will|should|outlook|through\s+20\d\d|"
                         r"by\s+20\d\d|to\s+20\d\d)\b")

    def _past_change(self, lowered: str, figure: Figure) -> bool:
        """The percentage's clause says the change already happened ("grew 3% last year", "up 4% since 2019")
        and nothing in it looks ahead."""
        clause_start = max(lowered.rfind(";", 0, figure.start), lowered.rfind(". ", 0, figure.start),
                           lowered.rfind(", while", 0, figure.start), lowered.rfind(" and ", 0, figure.start)) + 1
        ends = [i for i in (lowered.find(",", figure.end), lowered.find(";", figure.end), lowered.find(". ", figure.end),
                            lowered.find(" and ", figure.end)) if i >= 0]
        clause = lowered[clause_start:min(ends) if ends else len(lowered)]
        if self._PAST_VERB.search(clause) and not self._FUTURE_WORDS.search(clause) \
                and not any(int(year) >= self._FUTURE_YEAR for year in re.findall(r"\b(20\d\d)\b", clause)):
            return True    # "jobs declined 3% in Nebraska between 2019 and 2022": told in the past, no year ahead
        return bool(self._PAST.search(clause)) and not self._FUTURE.search(clause)

    # a change told in the past tense; a clause that names no projection word and no year from this one on
    _PAST_VERB = re.compile(r"\b(?:declined|fell|dropped|grew|rose|increased|decreased|shrank|shrunk|climbed|jumped|"
                            r"expanded|contracted|slipped|dipped|edged\s+(?:up|down))\b")
    _FUTURE_WORDS = re.compile(r"\b(?:project\w*|expect\w*|forecast\w*|predict\w*|anticipat\w*|will|should|outlook|"
                               r"estimat\w*)\b")
    _FUTURE_YEAR = 2025

    def _not_about_jobs(self, lowered: str, figure: Figure) -> bool:
        """A percentage whose clause names something else that grows (membership, postings, pay) and
        no job word: not a projection of employment."""
        clause_start = max(lowered.rfind(";", 0, figure.start), lowered.rfind(". ", 0, figure.start),
                           lowered.rfind(", while", 0, figure.start), lowered.rfind(" and ", 0, figure.start)) + 1
        clause = lowered[clause_start:figure.start]
        if self._SHARE_OF.match(lowered[figure.end:figure.end + 40]):
            return True        # "about 15% of Ohio coders work remotely": a share of something, not a change
        if self._ALL_OCCUPATIONS_AFTER.match(lowered[figure.end:figure.end + 80]) \
                or self._ALL_OCCUPATIONS_BEFORE.search(lowered[max(0, figure.start - 60):figure.start]):
            return True
        return bool(self._OTHER_GROWTH.search(clause)) and not self._JOBS_WORDS.search(clause)

    def _counts(self, unit, text: str, wages: list[WageRecord]) -> None:
        """'over 41,333 medical record specialists employed', '47,233 ... job openings per year'."""
        roles = self.context.mentions(unit, "Role")
        lowered = text.lower()
        for figure in find_counts(text):
            if figure.value >= 10 and self._openings(unit, text, figure, roles):
                continue
            if figure.value >= 10 and self._employed(unit, text, figure, roles):
                continue
            role = next((r for r in roles if 0 <= self.context.local(unit, r) - figure.end <= 3), None)
            if role is None or figure.value < 10:
                continue
            after = lowered[self.context.local(unit, role) + (role.nend - role.nstart):][:60]
            if any(w in after.split()[:3] for w in lexicon.OPENINGS_WORDS) or re.match(r"^\s*(?:job\s+)?openings", after):
                _, end_year = find_year_range(text)
                if re.search(r"per year|a year|annually|each year|every year", after):
                    self.records.append(GrowthRecord(
                        region=self.region_for(unit, figure.start), units=[unit], extractor="openings-sentence",
                        confidence=CONFIDENCE["openings-sentence"], annual_openings=figure.value,
                        qualifier=figure.qualifier, end_year=end_year, role=role, source=source(self.context, unit)))
                continue
            region = self.region_for(unit, figure.start)
            same_place = [w for w in wages if _same_place(w.region, region) and w.employment is None]
            if same_place:
                same_place[0].employment = (figure.value, figure.qualifier)
                continue
            if any(re.search(r"\b" + w + r"\b", lowered) for w in lexicon.EMPLOYMENT_WORDS) \
                    or self._THERE_ARE.search(text[max(0, figure.start - 40):figure.start]):
                self.records.append(EmploymentRecord(
                    region=region, count=figure.value, qualifier=figure.qualifier, units=[unit],
                    extractor="employment-sentence", confidence=CONFIDENCE["employment-sentence"], role=role,
                    reference_year=find_reference_year(text), source=source(self.context, unit)))

    # "There are only about 720 medical records specialists in the whole state": a count of the people in a role
    _THERE_ARE = re.compile(r"\b(?:[Tt]here\s+(?:are|were)|is\s+home\s+to|counts?)\s+(?:only\s+|just\s+|roughly\s+|some\s+)?"
                            r"(?:about\s+|around\s+|nearly\s+|almost\s+|approximately\s+|over\s+|more\s+than\s+)?$")

    # "About 5,210 people work as medical records specialists", "held about 186,400 jobs"
    _EMPLOYED_AFTER = re.compile(r"^\s*(?:people|workers|persons|individuals|professionals)\s+(?:work|worked|are\s+employed|"
                                 r"were\s+employed|were\s+working|are\s+working)\s+(?:as|in)\b|^\s*jobs\b(?!\s+(?:are|will|"
                                 r"would|could)\s+(?:be\s+)?(?:added|created|projected|expected))", re.IGNORECASE)
    _NOT_EMPLOYED_BEFORE = re.compile(r"\b(?:new|additional|more|fewer|added|extra|open|projected|expected)\s+$", re.IGNORECASE)

    def _employed(self, unit, text: str, figure: Figure, roles: list[Mention]) -> bool:
        """A count of the people working in the field: '5,210 people work as medical records specialists',
        'medical records specialists held about 186,400 jobs' (not '4,473 new jobs', a projected change)."""
        after = self._EMPLOYED_AFTER.match(text[figure.end:figure.end + 60])
        if not after or self._NOT_EMPLOYED_BEFORE.search(text[max(0, figure.start - 20):figure.start]):
            return False
        lowered = text.lower()
        if after.group().strip().lower().startswith("jobs") and (
                not roles or any(re.search(r"\b" + w + r"\b", lowered) for w in
                                 ("projected", "expected", "grow", "growth", "increase", "add", "added", "new"))):
            return False
        self.records.append(EmploymentRecord(
            region=self.region_for(unit, figure.start, figure.end), count=figure.value, qualifier=figure.qualifier,
            units=[unit], extractor="employment-sentence", confidence=CONFIDENCE["employment-sentence"],
            role=role_of_figure(roles, self.context, unit, text, figure.start),
            reference_year=find_reference_year(text), source=source(self.context, unit)))
        return True

    _OPENINGS_AFTER = re.compile(r"^\s*(?:new\s+|job\s+|additional\s+)*(?:openings|positions|jobs)\b.*?"
                                 r"\b(?:per year|a year|annually|each year|every year)\b", re.IGNORECASE)

    def _openings(self, unit, text: str, figure: Figure, roles: list[Mention]) -> bool:
        """'About 3,400 openings are projected each year': a count right before 'openings', per year."""
        if not self._OPENINGS_AFTER.match(text[figure.end:figure.end + 80]):
            return False
        _, end_year = find_year_range(text)
        self.records.append(GrowthRecord(
            region=self.region_for(unit, figure.start), units=[unit], extractor="openings-sentence",
            confidence=CONFIDENCE["openings-sentence"], annual_openings=figure.value, qualifier=figure.qualifier,
            end_year=end_year, role=role_of_figure(roles, self.context, unit, text, figure.start),
            source=source(self.context, unit)))
        return True
