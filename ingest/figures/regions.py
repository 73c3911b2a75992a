"""The place a figure is about, only where the text gives it: a place named right after the figure
("the 7% projected for the United States", "$72,293 in the Atlanta metro area"), else the nearest place
named before it in its sentence ("national" is the United States, "the state" the state the document
is about); else the place carried from earlier in the paragraph, set by a "Location:" line, named by
the section's heading (or a heading above it) or by the document's title. A sentence that names a
place we cannot read ("coders in Springfield earn ...") carries nothing: its figures get no place.
Otherwise the figure has no place: never the document's state or the country by default."""
from __future__ import annotations

import re

from ingest import lexicon
from ingest.figures.context import Context
from ingest.figures.records import RegionRef
from ingest.places import country_place, state_named_in, state_place

_STATE_WORDS = re.compile(r"\b(?:the|this|our|your) (?:whole |entire )?(?:state|commonwealth)\b|\bstatewide\b|\bin-state\b",
                          re.IGNORECASE)
_NATIONAL_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in lexicon.NATIONAL_WORDS) + r")\b", re.IGNORECASE)


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


# what may stand between a figure and the place named right after it: "7% projected for the United
# States", "$72,293 in the Atlanta metro area", "$21 an hour across Hampton Roads"
_PLACE_AFTER = re.compile(r"^(?:\s*(?:percent|per cent|%))?(?:\s*(?:an?|per)\s+(?:hour|year)|\s*/\s*(?:hr|hour|yr|year)|"
                          r"\s+(?:hourly|annually|a year))?\s*,?\s*(?:(?:projected|expected|forecast|reported|estimated|"
                          r"paid|offered|advertised)\s+)?(?:for|in|across|throughout|statewide in)\s+(?:the\s+)?$",
                          re.IGNORECASE)


# "... the median of $21.00 for the region", "$48,000 in the area": a place right after the figure that the
# sentence does not name
_UNNAMED_PLACE_AFTER = re.compile(r"^(?:\s*(?:an?|per)\s+(?:hour|year)|\s*/\s*(?:hr|hour|yr|year)|\s+(?:hourly|annually|a year))?"
                                  r"\s*,?\s*(?:for|in|across|throughout)\s+the\s+(?:region|area|metro|county|city|district|"
                                  r"market|territory)\b(?!\s+of\b)", re.IGNORECASE)


# an aside that closes before the figure: ", which is most of the state by land,", "(Chicago)", " - the
# state's largest - "; a place named in it is not the subject the figure is about
_ASIDE = re.compile(r",\s*(?:which|who|where|whose|home to|including|like|such as|(?:just |much )?as (?:in|with)|unlike|"
                    r"as elsewhere in)\b[^,;()$]{0,120},|\([^()$]{0,120}\)|"
                    r"\s[\u2013\u2014]\s[^\u2013\u2014$]{0,120}\s[\u2013\u2014]\s")


def _in_aside(text: str, at: int, position: int) -> bool:
    return any(m.start() < at < m.end() <= position for m in _ASIDE.finditer(text, 0, position))


def nearest_region(cues: list[tuple[int, RegionRef]], position: int, text: str | None = None,
                   end: int | None = None) -> RegionRef | None:
    """The place named right after the figure ("7% projected for the United States"), else the nearest
    place before it (one named in an aside that closes before the figure only when no other is: "the
    Alaska nonmetropolitan area, which is most of the state by land, has a median of ..."); a place after
    it only when none comes before."""
    after = [c for c in cues if c[0] > position]
    if text is not None and end is not None:
        for at, cue in after:
            if at >= end and _PLACE_AFTER.match(text[end:at]):
                return cue
    before = [c for c in cues if c[0] <= position]
    if text is not None and before:
        before = [c for c in before if not _in_aside(text, c[0], position)] or before
    if before:
        return before[-1][1]
    if not after:
        return None
    if text is not None and end is not None:
        # "Coders in Dallas earn $24 an hour, compared with $22 for Texas": a place named after another
        # figure is that figure's; and one the sentence names before the figure that no rule reads
        # ("In Honolulu, ...") is the figure's place, so a place named later is not
        if _FIGURE.search(text, end, after[0][0]) or _names_unread_place_in(text[:position]):
            return None
    return after[0][1]


# an amount or a percentage: another figure of the sentence
_FIGURE = re.compile(r"\$\s?\d|\d\s?%|\d\s*(?:percent|per cent)\b", re.IGNORECASE)


_NATIONAL_BODY = re.compile(lexicon.NATIONAL_BODY)


# "coders in Springfield earn ...": a capitalised name after a preposition of place that no rule read
_UNREAD_PLACE = re.compile(r"\b(?:[Ii]n|[Nn]ear|[Aa]round|[Aa]cross|[Tt]hroughout|[Oo]n|[Ff]or)\s+(?:the\s+)?"
                           r"(?P<name>[A-Z][a-z]+(?:[\s-]+[A-Z][a-z]+){0,5})")
_NOT_PLACES = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
               "Medicare", "Medicaid", "English", "Spanish", "Part", "Section", "Table", "Chapter", "Figure"}
# words that open a sentence about coders without naming a place: "Certified coders earn ...", "Remote billers"
_NOT_OPENERS = {"Certified", "Remote", "Experienced", "Senior", "Junior", "New", "Medical", "Entry", "Hospital",
                "Inpatient", "Outpatient", "Professional", "Licensed", "Registered", "Full", "Part", "Local", "Rural",
                "Urban", "Federal", "State", "National", "Private", "Public", "Specialty", "Coding", "Billing", "Health",
                "Skilled", "Top", "These", "Those", "Such", "All", "Few", "Other", "Both", "Staff", "Home", "Physician",
                "Clinical", "Freelance", "Contract", "Travel", "Temporary", "Seasoned", "Beginning", "Starting",
                "Average", "Median", "Mean", "Typical", "Annual", "Hourly", "Their", "Your", "Its", "His", "Her", "We",
                "They", "You", "Good", "Great", "Strong", "Higher", "Lower", "More", "Fewer", "Less", "Recent"}


# "Boise coders make about $19 an hour": a capitalised name opening the sentence before the people it is about
_UNREAD_OPENING = re.compile(r"^(?:(?:Many|Most|Some|Our|The)\s+)?(?P<name>[A-Z][a-z]+(?:[\s-]+[A-Z][a-z]+){0,2})(?:-area|'s)?\s+"
                             r"(?:coders|billers|employers|clinics|hospitals|practices|specialists|workers|members|"
                             r"wages?|pay|salar(?:y|ies))\b")


def _names_unread_place_in(text: str) -> bool:
    """A capitalised name after "in"/"near"/... in the text (no mention is checked: callers use it on the
    text before a figure whose read places all come after it)."""
    return any(m.group("name").split()[0] not in _NOT_PLACES for m in _UNREAD_PLACE.finditer(text))


def names_an_unread_place(context: Context, unit) -> bool:
    """The unit names, after "in"/"near"/... or opening a sentence about its coders, a capitalised name
    that is no mention we read (no place, organization, credential or role): a place we cannot place, so
    nothing may be carried to it."""
    text = context.unit_text(unit)
    spans = [(context.local(unit, m), context.local(unit, m) + (m.nend - m.nstart)) for m in context.mentions(unit)]
    opening = _UNREAD_OPENING.match(text)
    if opening and opening.group("name").split()[0] not in _NOT_PLACES | _NOT_OPENERS \
            and not any(s <= opening.start("name") < e for s, e in spans):
        return True
    for match in _UNREAD_PLACE.finditer(text):
        first = match.group("name").split()[0]
        if first in _NOT_PLACES:
            continue
        if not any(s <= match.start("name") < e for s, e in spans):
            return True
    return False


# "Remote auditor - $31/hr": pay for work done anywhere is no place's, whatever the page is about
_REMOTE = re.compile(r"(?i)\b(?:remote|fully[- ]remote|work[- ]from[- ]home|work at home|WFH|telework|telecommut\w*|"
                     r"anywhere in the (?:U\.?S\.?|country))\b")


class RegionResolver:
    """Which place each figure of a document is about, remembering what each paragraph and
    section has named so far."""

    def __init__(self, context: Context):
        self.context = context
        self._regions_by_block: dict[int, list[RegionRef]] = {}
        self._section_region: dict[str, RegionRef] = {}   # from a "Location: Columbus, OH" line
        self._regions_by_section: dict[str, list[RegionRef]] = {}   # places of the section's figures so far
        self._heading_region, self.title_region = self._regions_of_headings()

    def _one_place(self, unit) -> RegionRef | None:
        cues = region_cues(self.context, unit)
        if len({cue.key for _, cue in cues}) == 1:
            return RegionRef(cues[0][1].key, cues[0][1].place, None, "carried")
        return None

    def _heading_level(self, unit) -> int:
        """'### East Baton Rouge Parish' is level 3; a heading not written with '#' counts as level 2."""
        if unit.kind == "title":
            return 1
        hashes = re.match(r"#+", self.context.text[unit.line_start:unit.line_start + 8])
        return len(hashes.group()) if hashes else 2

    def _regions_of_headings(self) -> tuple[dict[str, RegionRef], RegionRef | None]:
        """A heading that names one place ("Quick Facts: Coders, United States", "### Lafayette Parish")
        says where the figures of its section are, and of the sections under it, unless a section names
        another; a title naming one place ("Coding Careers in Louisiana") is the place of the figures no
        heading places."""
        regions: dict[str, RegionRef] = {}
        title: RegionRef | None = None
        open_headings: list[tuple[int, RegionRef | None]] = []   # (level, region) of the headings above
        for unit in self.context.units:
            if unit.kind == "title":
                title = title or self._one_place(unit)
                continue
            if unit.kind != "heading":
                continue
            level = self._heading_level(unit)
            open_headings = [(lvl, region) for lvl, region in open_headings if lvl < level]
            own = self._one_place(unit)
            inherited = next((region for _, region in reversed(open_headings) if region is not None), None)
            open_headings.append((level, own))
            if own is not None or inherited is not None:
                regions[unit.section] = own or inherited
        return regions, title

    def set_section_region(self, section: str, region: RegionRef) -> None:
        self._section_region[section] = region

    def for_figure(self, unit, position: int, end: int | None = None) -> RegionRef | None:
        """The place a figure is about (see the module comment), or None when the text does not give
        it. A figure with no place of its own keeps the paragraph's place; a national comparison
        ("faster than the national rate") is not carried over when the paragraph named a place of its own."""
        cues = region_cues(self.context, unit)
        if end is not None and _UNNAMED_PLACE_AFTER.match(self.context.unit_text(unit)[end:end + 60]):
            return None      # "$21.00 for the region": a place the text does not name here
        cue = nearest_region(cues, position, self.context.unit_text(unit), end)
        if cue is not None and cue.mention is not None and self._coordinated(unit, cue, cues):
            # "postings on Saipan and Tinian offered ...": the figure is about both places, so about the one
            # place the sentence names that holds them ("Northern Mariana Islands: ..."), else about none
            # the text gives
            return next((c for _, c in cues if c.key in cue.place.parents), None)
        if cue is None:
            if names_an_unread_place(self.context, unit) or _REMOTE.search(self.context.unit_text(unit)):
                return None
            national = self._source_place(unit)
            if national is not None:
                cue = national
            else:
                carried = self._regions_by_block.get(unit.block, [])
                local = [c for c in carried if c.how != "national-word"]
                in_section = {c.key: c for c in self._regions_by_section.get(unit.section, [])}
                cue = ((local or carried or [None])[-1] or self._section_region.get(unit.section)
                       or self._heading_region.get(unit.section)
                       or (next(iter(in_section.values())) if len(in_section) == 1 else None) or self.title_region)
                if cue is not None:
                    cue = RegionRef(cue.key, cue.place, None, "carried")
        if cue is not None:
            self._regions_by_block.setdefault(unit.block, []).append(cue)
            self._regions_by_section.setdefault(unit.section, []).append(cue)
        return cue

    _AND_NAME = re.compile(r"^\s*(?:,\s*)?(?:and|or|&)\s+(?:the\s+)?[A-Z]")
    _NAME_AND = re.compile(r"[A-Z][\w.'\u2019-]*\s*(?:,\s*)?(?:and|or|&|,)\s+(?:the\s+)?$")

    def _coordinated(self, unit, cue: RegionRef, cues: list) -> bool:
        """The place is named together with another ("Saipan and Tinian", "Ohio or Kentucky"): a name
        joined to it by "and"/"or" right after it (a place or a capitalised name no other rule reads), or
        a place joined to it right before it."""
        text = self.context.unit_text(unit)
        start = self.context.local(unit, cue.mention)
        end = start + (cue.mention.nend - cue.mention.nstart)
        after = self._AND_NAME.match(text[end:end + 40])
        if after:
            name_at = end + after.end() - 1
            others = [m for m in self.context.mentions(unit) if m.kind != "Region"]
            if not any(self.context.local(unit, m) <= name_at < self.context.local(unit, m) + (m.nend - m.nstart)
                       for m in others):
                return True
        before = self._NAME_AND.search(text[max(0, start - 60):start])
        if before:
            left_at = max(0, start - 60) + before.start()
            return any(c.mention is not None and c.key != cue.key and
                       self.context.local(unit, c.mention) <= left_at
                       < self.context.local(unit, c.mention) + (c.mention.nend - c.mention.nstart) for _, c in cues)
        return False

    def _source_place(self, unit) -> RegionRef | None:
        """'According to the U.S. Bureau of Labor Statistics, the median annual wage ... was $75,963': a
        figure a national statistics body is credited with, in a sentence that names no place, is its
        national figure; one a state's agency is credited with ("The Virginia Employment Commission has it
        growing 44.6 percent") is that state's."""
        for mention, _ in self.context.sources_by_unit.get(id(unit), []):
            names = " ".join(filter(None, (mention.name, mention.canonical_name, mention.acronym,
                                           mention.concept.pref_label if mention.concept else None)))
            if _NATIONAL_BODY.search(names):
                place = country_place(self.context.vocabulary)
                return RegionRef(place.key, place, None, "national-source")
            state = state_named_in(self.context.vocabulary, mention.name)
            if state is not None:
                place = state_place(state)
                return RegionRef(place.key, place, None, "national-source")
        return None

    def place_of_section(self, unit) -> RegionRef | None:
        """The place a section's heading, a heading above it or the title gives (for a table or list
        whose rows name none)."""
        cue = self._section_region.get(unit.section) or self._heading_region.get(unit.section) or self.title_region
        return RegionRef(cue.key, cue.place, None, "carried") if cue is not None else None

    def state_for_rows(self, unit, lead: RegionRef | None = None) -> object:
        """The state a table's or list's rows lie in when they name only a city ("Tulsa"): the state of the
        place the lead-in names, else of the section's heading or the title, else the document's."""
        for ref in (lead, self.place_of_section(unit)):
            state = state_of_region(self.context.vocabulary, ref)
            if state is not None:
                return state
        return self.context.document_state


def state_of_region(vocabulary, ref: RegionRef | None):
    """The state a place is or lies in (one state), else None."""
    if ref is None or ref.place is None:
        return None
    if ref.place.region_class == "State":
        return ref.place.concept
    states = [key.split("/")[1].upper() for key in ref.place.parents if key.count("/") == 1]
    if len(states) != 1:
        return None
    concept = vocabulary.by_region_code.get(states[0])
    return concept if concept is not None and concept.entity_class == "State" else None

