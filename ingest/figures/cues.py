"""Cue words around a figure: is it pay, per which period, which measure (median, mean, low/high),
for which experience level and role, according to which source."""
from __future__ import annotations

import re

from ingest import lexicon
from ingest.entities import Mention
from ingest.figures.context import Context
from ingest.quantities import Figure
from ingest.table_parser import period_of_word


def words_before(text: str, position: int, limit: int = 80) -> str:
    return text[max(0, position - limit):position].lower()


def nearest_cue(text: str, position: int, cues: list[tuple[str, str]], stop: int = 0) -> str | None:
    """The value of the cue word nearest before `position` (not before `stop`)."""
    best, best_at = None, -1
    lowered = text.lower()
    for word, value in cues:
        for match in re.finditer(r"\b" + re.escape(word) + r"\b", lowered[stop:position]):
            if match.start() > best_at:
                best, best_at = value, match.start()
    return best


_PERIOD_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?P<cue>an\s+hour|per\s+hour|/\s?hr|/\s?hour|hourly|a\s+year|per\s+year|/\s?yr|/\s?year|"
    r"annually|per\s+annum|yearly|a\s+month|per\s+month|monthly|a\s+week|per\s+week|weekly)\b", re.IGNORECASE)
_PERIOD_BEFORE_CUES = [("hourly", "Hour"), ("per hour", "Hour"), ("an hour", "Hour"), ("annual", "Year"),
                       ("annually", "Year"), ("yearly", "Year"), ("salary", "Year"), ("salaries", "Year"),
                       ("a year", "Year"), ("per year", "Year"), ("monthly", "Month"), ("weekly", "Week")]


def stated_period(text: str, figure: Figure) -> str | None:
    """The pay period written right after a figure ("$28.77 an hour", "$59,840 a year"), else None."""
    after = _PERIOD_AFTER.match(text[figure.end:figure.end + 30])
    return period_of_word(after.group("cue")) if after else None


def pay_period(text: str, figure: Figure) -> str | None:
    after = _PERIOD_AFTER.match(text[figure.end:figure.end + 30])
    if after:
        return period_of_word(after.group("cue")) or ("Month" if "month" in after.group("cue").lower() else "Week")
    before = nearest_cue(text, figure.start, _PERIOD_BEFORE_CUES, max(0, figure.start - 90))
    if before:
        return before
    if figure.value < 500:
        return "Hour"
    if figure.value >= 5000:
        return "Year"
    return None


# "the hourly median there was $23.80", "Mean hourly: $21.18" (a fact sheet's label)
_PERIOD_MEASURE = re.compile(r"\b(?:hourly|annual|yearly)\s+(?:median|mean|average)\b|"
                             r"\b(?:median|mean|average)\s+(?:hourly|annual|yearly)\b")
_STARTING_PAY = re.compile(r"\bstart(?:s|ing)?\s+(?:out\s+)?(?:at|near|around|from|with)\s+(?:about\s+)?$")


# a wage statistic named right before the amount: "the 90th percentile is $33.10", "median wage of $41,200"
_STATISTIC_BEFORE = re.compile(r"\b(?:median|mean|(?:10|25|75|90)th\s+percentile)(?:\s+(?:hourly|annual|yearly))?"
                               r"(?:\s+(?:wage|pay|salary|earnings|rate))?\s+(?:is|was|of|at|stood at|sits at|comes to)"
                               r"\s+(?:about\s+|around\s+|roughly\s+)?$")


def is_pay(text: str, figure: Figure, context_text: str = "") -> bool:
    before = words_before(text, figure.start, 40)
    if any(re.search(r"\b" + re.escape(w) + r"\b", before) for w in lexicon.COST_WORDS):
        return False
    if _STARTING_PAY.search(before):   # "entry-level coders start near $36,000"
        return True
    if _PERIOD_AFTER.match(text[figure.end:figure.end + 30]):
        return True                    # "$70,333 a year", "$19 hourly": an amount per period is pay
    if _PERIOD_MEASURE.search(before) or _STATISTIC_BEFORE.search(before):
        return True                    # "the hourly median there was $23.80", "the 90th percentile is $33.10"
    haystack = (text + " " + context_text).lower()
    return any(re.search(r"\b" + re.escape(w) + r"\b", haystack) for w in lexicon.PAY_WORDS)


def experience(text: str, position: int, stop: int = 0) -> str | None:
    """The experience level named before the figure, since the figure before it ("entry-level $17, median
    $21, experienced $28": the median is no entry-level figure)."""
    return nearest_cue(text, position, list(lexicon.EXPERIENCE_CUES.items()), max(stop, position - 120))


_RANGE_JOIN = re.compile(r"^\s*(?:-|to|and|through)\s*$", re.IGNORECASE)


def ranges(text: str, figures: list[Figure]) -> list[tuple[Figure, Figure | None]]:
    """Pair '$73,333 to $93,333' into (low, high); other figures stand alone."""
    paired: list[tuple[Figure, Figure | None]] = []
    skip = False
    for index, figure in enumerate(figures):
        if skip:
            skip = False
            continue
        following = figures[index + 1] if index + 1 < len(figures) else None
        if following is not None and _RANGE_JOIN.match(text[figure.end:following.start]) and following.value > figure.value:
            paired.append((figure, following))
            skip = True
        else:
            paired.append((figure, None))
    return paired


# "From $85,333 a year", "Starting at $19 an hour": a pay floor that opens its line
_FROM_BOUND = re.compile(r"^\W*(?:from|starting at|starts at)\s*$", re.IGNORECASE)
_LOWER_BOUND = {"more than", "over", "upwards of", "at least", "above", "just over"}
_UPPER_BOUND = {"up to", "as much as", "under", "less than", "below", "just under"}


# "$48.25 an hour at the 10th percentile": the measure named right after the figure and its period
_MEASURE_AFTER = re.compile(
    r"^\s*(?:(?:an?|per)\s+(?:hour|year)|hourly|annually|/\s?(?:hr|hour|yr|year))?\s*,?\s*\(?(?:at|for)\s+the\s+"
    r"(?P<cue>10th|25th|75th|90th)\s+percentile", re.IGNORECASE)


# "$24 an hour on average": the mean named right after the figure and its period
_MEAN_AFTER = re.compile(r"^\s*(?:(?:an?|per)\s+(?:hour|year)|hourly|annually|a\s+year|/\s?(?:hr|hour|yr|year))?\s*,?\s*"
                         r"on\s+average\b", re.IGNORECASE)
# "$20.50/hr median", "$41,000 (median)": the statistic written right after the amount and its period
_STATISTIC_WORD_AFTER = re.compile(r"^\s*(?:(?:an?|per)\s+(?:hour|year)|hourly|annually|a\s+year|/\s?(?:hr|hour|yr|year))?"
                                   r"\s*\(?\s*(?P<word>median|mean|average|avg)\b\s*\)?(?=\s*(?:$|[,;.)]|\s(?:wage|pay|salary|"
                                   r"hourly|annual|earnings)\b))", re.IGNORECASE)


# "$19.30 an hour at the median"
_AT_THE_STATISTIC = re.compile(r"^\s*(?:(?:an?|per)\s+(?:hour|year)|hourly|annually|a\s+year|/\s?(?:hr|hour|yr|year))?"
                               r"\s*,?\s*at\s+the\s+(?P<word>median|mean|average)\b(?!\s+of\b)", re.IGNORECASE)


def _statistic_after(following: str) -> str | None:
    """The statistic named right after a figure ("$24 an hour on average", "$20.50/hr median"), else None."""
    if _MEAN_AFTER.match(following):
        return "mean"
    at_the = _AT_THE_STATISTIC.match(following)
    if at_the:
        return "median" if at_the.group("word").lower() == "median" else "mean"
    word = _STATISTIC_WORD_AFTER.match(following)
    if word:
        return "median" if word.group("word").lower() == "median" else "mean"
    return None


# "half of all coders in Utah earn more than $55.83": the amount half earn more (or less) than is the median
_HALF_EARN = re.compile(r"\b(?:half|50\s*(?:%|percent|per cent))\s+of\s+[^$.;]{0,80}?\b(?:earn(?:ed|s)?|ma(?:k|d)es?|made|"
                        r"take\s+home|took\s+home|(?:were|are|was|is)\s+paid)\s+(?:more|less|over|under)(?:\s+than)?\s*$",
                        re.IGNORECASE)


# "..., which equates to $50.33 an hour", "(about $27 an hour)": the figure before, restated per another period
_RESTATED = re.compile(r"^[^$]{0,12}(?:which|that)?\s*(?:equates|equals|works out|translates|comes out|comes|amounts|"
                       r"adds up)\s+to\s+"
                       r"(?:about\s+|around\s+|roughly\s+|approximately\s+)?$|^[^$,;]{0,24}?(?:\(|/|,\s*or\s+|^\s*or\s+)"
                       r"\s*(?:about\s+|around\s+|roughly\s+)?$", re.IGNORECASE)


# "the median ... in Georgia is $78,413, against $72,293 in the Atlanta metro area": the same statistic
# for another place
_COMPARED = re.compile(r"^\s*,?\s*(?:against|versus|vs\.?|compared\s+(?:with|to)|as\s+against)\s+(?:the\s+)?"
                       r"(?:about\s+|around\s+)?$"
                       # "coders in X earn a median of $A, while coders in Y earn about $B": the same statistic
                       r"|^[^$]{0,12},?\s*(?:while|whereas)\s+[^$]{0,80}$", re.IGNORECASE)


# "the median is $28.77 an hour, $59,840 a year": the same figure per another period, after a bare comma
_BARE_COMMA = re.compile(r"^\s*,\s*(?:about\s+|around\s+|roughly\s+)?$")


# "mean" as a verb ("I mean Kitsap County", "what we mean by"): no statistic
_MEAN_VERB = re.compile(r"\b(?:I|you|we|they|to|do|does|did|don't|doesn't|didn't|what|would|could|might|really|just)"
                        r"\s+mean\b", re.IGNORECASE)


def measure_cue(text: str, position: int, stop: int = 0) -> str | None:
    """The statistic named nearest before `position` ("median", "average", "90th percentile"), not a verb."""
    masked = _MEAN_VERB.sub(lambda m: " " * len(m.group()), text[:position])
    return nearest_cue(masked, position, lexicon.MEASURE_CUES, stop)


def measure_of(text: str, figure: Figure, default: str | None, previous_end: int = 0,
               restates_period: bool = False) -> str | None:
    """The measure named right after the figure ("$48.25 an hour at the 10th percentile"); else the
    measure word nearest before it, looking back to the figure before it; else, when the figure restates
    the one before it per another period ("... mean salary is $57k, which equates to $50.33 an hour";
    "$28.77 an hour, $59,840 a year" when `restates_period`: the two periods differ), that figure's measure. Otherwise the text does not say which figure it is."""
    after = _MEASURE_AFTER.match(text[figure.end:figure.end + 60])
    if after:
        return "percentile" + after.group("cue")[:2]
    named_after = _statistic_after(text[figure.end:figure.end + 40])
    if named_after:
        return named_after
    if _HALF_EARN.search(text[max(previous_end, figure.start - 140):figure.start]):
        return "median"
    cue = measure_cue(text, figure.start, previous_end)
    if cue and previous_end and _statistic_after(text[previous_end:figure.start]):
        # "$24 an hour on average, against $22 ...": the average named after the figure before is its own;
        # this figure has it only when it is compared with that one
        cue = None
    between = _after_period(text[previous_end:figure.start]) if previous_end else ""
    compared = _COMPARED.search(between) and not nearest_cue(between, len(between), list(lexicon.EXPERIENCE_CUES.items()))
    restated = _RESTATED.search(between) or (restates_period and _BARE_COMMA.match(between))
    if cue is None and previous_end and (restated or compared):
        cue = measure_cue(text, figure.start, 0)
    if cue:
        return cue
    if figure.qualifier in _LOWER_BOUND or _FROM_BOUND.search(text[:figure.start]):
        return "low"
    if figure.qualifier in _UPPER_BOUND:
        return "high"
    return default



def _after_period(between: str) -> str:
    """The words between two figures, less the first one's period ("a year, which equates to")."""
    return re.sub(r"^\s*(?:(?:an?|per)\s+(?:hour|year)|hourly|annually|/\s?(?:hr|hour|yr|year))", "", between,
                  flags=re.IGNORECASE)


def nearest_mention(mentions: list[Mention], context: Context, unit, position: int) -> Mention | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: (abs(context.local(unit, m) - position), context.local(unit, m) > position))


def role_of_figure(roles: list[Mention], context: Context, unit, text: str, position: int) -> Mention | None:
    """The role a figure is about: 'the median wage for <role>', 'outlook for <role>', else the nearest role."""
    governed = [r for r in roles if context.local(unit, r) < position
                and re.search(r"\b(?:for|of|among)\s+(?:the\s+|all\s+)?$", text[:context.local(unit, r)].lower())]
    if governed:
        return governed[0]
    return nearest_mention(roles, context, unit, position)


def source(context: Context, unit) -> Mention | None:
    sources = context.sources_by_unit.get(id(unit), [])
    return sources[0][0] if sources else None
