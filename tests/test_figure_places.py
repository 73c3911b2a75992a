"""A figure goes only to the place, pay period and statistic its text gives it (issue 18), and places
are read as documents name them. Every rule is tried on wordings and places it was not written on
(the places here are invented or taken from other states than the documents that prompted the rule)."""
from helpers import figures, wage_values

from ingest.places import find_places_in_prose, read_place
from kg.vocabulary import load_vocabulary


def growth(text: str) -> set[tuple]:
    return {(r.region.key if r.region else None, str(r.percent)) for r in figures(text, "GrowthProjection")
            if r.percent is not None}


# ---------------------------------------------------------------- each figure to its own place

def test_each_percentage_goes_to_the_place_named_with_it():
    text = ("Outlook in Texas\nTexas is projected to grow 11%, faster than the 7% projected for the United States, "
            "with about 2,900 openings each year.\n")
    assert growth(text) == {("us/tx", "11"), ("us", "7")}
    text = ("Outlook\nEmployment of coders in Nevada should grow 12 percent, well ahead of the 6 percent expected "
            "for the nation.\n")
    assert growth(text) == {("us/nv", "12"), ("us", "6")}


def test_a_figure_named_after_its_place_in_a_comparison_takes_that_place_and_statistic():
    text = ("Pay check\nThe annual median wage for coders in Oregon is $47,020, against $52,310 in the "
            "Salem-Keizer, OR metro area.\n")
    assert wage_values(text) == {("us/or", "Year", "median", "47020"),
                                 ("us/or/salem-keizer-or-metro-area", "Year", "median", "52310")}


def test_a_figure_about_a_place_no_rule_reads_gets_no_place_not_the_state_or_the_country():
    text = ("Pay in Oregon\nOregon coders earn a median of $23.10 an hour.\n\n"
            "Billers in Pinecrest Hollow told us they make about $19 an hour.\n")
    values = wage_values(text)
    assert ("us/or", "Hour", "median", "23.10") in values
    assert (None, "Hour", "unspecified", "19") in values
    assert not {v for v in values if v[3] == "19" and v[0] is not None}


def test_a_figure_in_a_document_that_names_no_place_gets_none():
    assert wage_values("Notes\nMost remote coders we surveyed earn about $20 an hour.\n") == \
        {(None, "Hour", "unspecified", "20")}


def test_an_unplaced_figure_credited_to_the_bls_is_national():
    text = ("Salary\nAccording to the U.S. Bureau of Labor Statistics, the median annual wage for medical records "
            "specialists was $47,180 in May 2023.\n")
    assert wage_values(text) == {("us", "Year", "median", "47180")}


# ---------------------------------------------------------------- statistics: never a mean by default

def test_entry_level_median_and_experienced_figures_are_three_statistics_not_a_mean():
    text = ("Pay in Ohio\nIn Dayton, OH, entry-level coders earn $16.50 an hour, the median is $21.40 an hour, and "
            "experienced coders earn $29.10 an hour.\n")
    records = [(r.experience, v.measure, str(v.amount)) for r in figures(text, "WageStatistic") for v in r.values]
    assert sorted(records, key=lambda r: r[2]) == [("entry-level", "unspecified", "16.50"), (None, "median", "21.40"),
                                                  ("experienced", "unspecified", "29.10")]


def test_an_unlabelled_figure_is_unspecified_and_a_restated_one_keeps_its_statistic():
    assert wage_values("Pay in Utah\nCoders in Ogden, UT land around $20.10 an hour.\n") == \
        {("us/ut/ogden-ut", "Hour", "unspecified", "20.10")}
    text = "Pay in Iowa\n2023 Median Pay in Iowa ......... $45,210 per year / $21.74 per hour\n"
    assert wage_values(text) == {("us/ia", "Year", "median", "45210"), ("us/ia", "Hour", "median", "21.74")}


def test_differences_bonuses_dues_and_anecdotes_are_not_wages():
    assert wage_values("Pay in Maine\nCertified coders in Maine earn about $1.80 more per hour than others.\n") == set()
    assert wage_values("Perks\nSome clinics in Maine offer a sign-on bonus of $1,500 a year.\n") == set()
    assert wage_values("Joining\nDues are $45 a year; retirees pay $15.\n") == set()
    assert wage_values("Story\nHonestly, I started at $17/hr at a clinic in Portland, ME back then.\n") == set()


def test_growth_of_something_other_than_jobs_is_not_a_projection():
    assert growth("News\nChapter membership grew 14 percent last year, and posting volume rose 20%.\n") == set()
    assert growth("Outlook\nEmployment of coders in Kansas is projected to rise 6.5 percent from 2022 to 2032.\n") == \
        {("us/ks", "6.5")}


# ---------------------------------------------------------------- places as documents name them

def _places(text: str, state: str | None = None) -> list[tuple[str, str, tuple]]:
    vocabulary = load_vocabulary()
    concept = vocabulary.by_region_code[state] if state else None
    return [(text[a:b], p.region_class, p.parents) for a, b, p in find_places_in_prose(vocabulary, text, concept)]


def test_territories_counties_parishes_and_island_towns():
    assert ("Puerto Rico", "Territory", ("us",)) in _places("Billers in Puerto Rico earn less.")
    assert ("U.S. Virgin Islands", "Territory", ("us",)) in _places("A practice in the U.S. Virgin Islands is hiring.")
    assert ("Pago Pago", "City", ("us/as",)) in _places("A clinic in Pago Pago pays $15 an hour.")
    assert ("Orleans Parish", "County", ("us/la",)) in _places("Coders in Orleans Parish earn more.", "LA")
    assert ("Loudoun County", "County", ("us/va",)) in _places("In Loudoun County, pay is high.")   # one state has it
    assert ("Clark County, Nevada", "County", ("us/nv",)) in _places("It includes Clark County, Nevada.")


def test_regions_known_by_their_name_and_compass_regions_of_a_state():
    assert ("Research Triangle", "InformalRegion", ("us/nc",)) in _places("Jobs in the Research Triangle pay well.", "NC")
    assert ("Lehigh Valley", "InformalRegion", ("us/pa",)) in _places("Across the Lehigh Valley, pay is flat.", "PA")
    assert ("Southern Oregon", "InformalRegion", ("us/or",)) in _places("Pay in Southern Oregon is lower.")
    assert ("upstate New York", "InformalRegion", ("us/ny",)) in _places("Coders in upstate New York earn less.")
    assert not [p for p in _places("West Virginia coders") if p[1] == "InformalRegion"]   # a state, not a compass region


def test_bls_area_names_multi_state_metros_and_nonmetropolitan_areas():
    vocabulary = load_vocabulary()
    metro = read_place(vocabulary, "Fargo, ND-MN", None)
    assert (metro.region_class, metro.parents) == ("MetropolitanArea", ("us/nd", "us/mn"))
    nonmetro = read_place(vocabulary, "Southwest Kansas nonmetropolitan area", vocabulary.by_region_code["MO"])
    assert (nonmetro.region_class, nonmetro.parents) == ("NonmetropolitanArea", ("us/ks",))
    double = read_place(vocabulary, "Nashville-Davidson--Murfreesboro--Franklin, TN", None)
    assert double.region_class == "MetropolitanArea"
    assert read_place(vocabulary, "Ohio (statewide)", None).key == "us/oh"


def test_a_statistic_label_is_never_a_place():
    vocabulary = load_vocabulary()
    ohio = vocabulary.by_region_code["OH"]
    for label in ("Median", "Mean", "Hourly mean wage", "25th percentile", "Entry level", "Annual median wage",
                  "Average pay", "High", "Low"):
        assert read_place(vocabulary, label, ohio) is None, label
    assert read_place(vocabulary, "High Point, NC", None).region_class in ("City", "MetropolitanArea")
    assert read_place(vocabulary, "Mesa", ohio) is not None               # a town's name still is one


# ---------------------------------------------------------------- places given by headings and tables

def test_a_place_named_only_by_the_section_heading():
    text = ("# Pay across Kansas\n\n## By county\n\n### Sedgwick County\n\n- Median hourly wage: $20.15\n\n"
            "### Johnson County\n\n- Median hourly wage: $22.80\n")
    assert wage_values(text) == {("us/ks/sedgwick-county", "Hour", "median", "20.15"),
                                 ("us/ks/johnson-county", "Hour", "median", "22.80")}


def test_a_table_whose_rows_are_places_under_a_header_naming_the_occupation():
    text = ("Pay\n\n| Health Information Technicians | Median hourly | Median annual |\n|---|---|---|\n"
            "| Fargo, ND-MN | $22.40 | $46,590 |\n| Southwest Kansas nonmetropolitan area | $18.10 | $37,650 |\n")
    values = wage_values(text)
    assert ("us/nd/fargo-nd-mn", "Hour", "median", "22.40") in values
    assert ("us/ks/southwest-kansas-nonmetropolitan-area", "Year", "median", "37650") in values


def test_a_blank_area_cell_continues_the_place_above_and_a_caption_folded_into_the_header_is_dropped():
    caption = "Wages for coders, May 2024"
    text = (f"Pay\n\n| {caption} Area | {caption} Pay | {caption} 10th pct | {caption} Median |\n|---|---|---|---|\n"
            "| Puerto Rico | Hourly | $10.10 | $12.40 |\n|  | Annual | $21,010 | $25,790 |\n"
            "| Boise City, ID | Hourly | $15.20 | $19.90 |\n|  | Annual | $31,620 | $41,390 |\n")
    values = wage_values(text)
    assert {("us/pr", "Hour", "median", "12.40"), ("us/pr", "Year", "median", "25790"),
            ("us/id/boise-city-id", "Year", "percentile10", "31620")} <= values
    assert not [v for v in values if v[0] != "us/pr" and v[3] in ("12.40", "25790")]


def test_a_hard_wrapped_sentence_with_a_pay_range_is_read_as_prose():
    text = ("Digest\r\n\r\nFARGO. Billing postings in the Fargo,\r\nND-MN metro listed pay from $18.25 to $22.75 an hour, "
            "most of them for\r\nclinic work.\r\n")
    assert wage_values(text) == {("us/nd/fargo-nd-mn-metro", "Hour", "low", "18.25"),
                                 ("us/nd/fargo-nd-mn-metro", "Hour", "high", "22.75")}


# ---------------------------------------------------------------- industry and employment

INDUSTRY_PAGE = """# Coders in Kansas

Medical records specialists by industry, Kansas, May 2024

| Industry | Employment | Mean hourly wage | Annual mean wage |
|---|---|---|---|
| General medical and surgical hospitals | 2,140 | $23.10 | $48,050 |
| Offices of physicians | 1,310 | $20.40 | $42,430 |

Employment in Kansas, May 2024: 4,870

Medical records specialists held about 186,400 jobs nationwide in 2023. Kansas expects about 300 new jobs by 2032.

Top-paying industries for coders in Wichita, KS:

- Insurance carriers: $26.10 an hour
- Offices of physicians: $21.05 an hour
"""


def test_rows_of_an_industry_table_are_statistics_of_their_industry_in_the_captions_place():
    wages = {(r.industry, r.region.key, r.period, v.measure, str(v.amount), r.employment and str(r.employment[0]))
             for r in figures(INDUSTRY_PAGE, "WageStatistic") for v in r.values}
    assert ("Offices of physicians", "us/ks", "Year", "mean", "42430", "1310") in wages
    assert ("General medical and surgical hospitals", "us/ks", "Hour", "mean", "23.10", None) in wages
    # a list under "industries" names industries, never places
    assert ("Insurance carriers", "us/ks/wichita-ks", "Hour", "unspecified", "26.10", None) in wages
    assert not [w for w in wages if w[1] and "insurance" in w[1]]


def test_employment_counts_with_place_and_year_and_not_projected_new_jobs():
    counts = {(r.region.key if r.region else None, str(r.count), r.reference_year)
              for r in figures(INDUSTRY_PAGE, "EmploymentStatistic")}
    assert counts == {("us/ks", "4870", 2024), ("us", "186400", 2023)}
    text = "Workforce\nAbout 3,050 people work as medical records specialists in Nebraska.\n"
    assert {(r.region.key, str(r.count)) for r in figures(text, "EmploymentStatistic")} == {("us/ne", "3050")}


def test_openings_label_line_and_growth_of_another_occupation():
    text = ("# Iowa fact sheet\n\nAverage annual openings, 2022-2032: 410\n\n"
            "Iowa Workforce Development expects jobs for medical transcriptionists to decline 4% over the same years.\n")
    records = figures(text, "GrowthProjection")
    assert [(r.region.key, str(r.annual_openings), r.start_year, r.end_year) for r in records
            if r.annual_openings is not None] == [("us/ia", "410", 2022, 2032)]
    assert not [r for r in records if r.percent is not None]


def test_respectively_pairs_places_and_figures_in_order():
    text = "Outlook\nIn Ohio and Kentucky, employment of coders will grow 8% and 6%, respectively, by 2032.\n"
    assert growth(text) == {("us/oh", "8"), ("us/ky", "6")}


def test_a_city_named_with_its_state_is_the_city_and_an_unread_city_opening_a_sentence_blocks_carrying():
    assert wage_values("Pay\nCoders in Boise, Idaho earn about $19 an hour, and in Idaho overall the median is "
                       "$20.10 an hour.\n") == {("us/id/boise-idaho", "Hour", "unspecified", "19"),
                                                ("us/id", "Hour", "median", "20.10")}
    text = ("Salaries in the United States\nCoders nationwide earn a median of $23.00 an hour.\n\n"
            "Pocatello coders make about $19 an hour.\n")
    assert wage_values(text) == {("us", "Hour", "median", "23.00"), (None, "Hour", "unspecified", "19")}


def test_a_sentence_opening_with_an_unread_place_carries_nothing():
    text = ("Pay across the United States\nCoders nationwide earn a median of $23.00 an hour.\n\n"
            "In Pinecrest Hollow, billers report about $18 an hour.\n")
    assert (None, "Hour", "unspecified", "18") in wage_values(text)


def test_a_hyphenated_name_is_read_whole_never_from_its_second_half():
    assert ("Pine-Ridge Borough", "County", ("us",)) in _places("Out in the Pine-Ridge Borough billers earn more.")
    assert not [p for p in _places("Out in the Pine-Ridge Borough billers earn more.") if p[0] == "Ridge Borough"]
    # a name starts where a word starts: "xAustin, TX" names no "Austin, TX"
    assert _places("Call 555-0100 or email xAustin, TX for details.") == []


# ---------------------------------------------------------------- round 2: wordings of held-out layouts

def growth_years(text: str) -> set[tuple]:
    return {(r.region.key if r.region else None, str(r.percent), r.start_year, r.end_year)
            for r in figures(text, "GrowthProjection") if r.percent is not None}


def test_each_percentage_has_its_own_years_and_the_same_period_is_the_years_of_the_one_before():
    text = ("OUTLOOK\r\n\r\nVermont projects employment of medical records specialists to grow\r\n"
            "by 5.1 percent from 2022 to 2032, while New Hampshire projects 3.8\r\n"
            "percent over the same period, with most openings in hospitals and\r\n"
            "physician groups across both states.\r\n")
    assert growth_years(text) == {("us/vt", "5.1", 2022, 2032), ("us/nh", "3.8", 2022, 2032)}
    text = "Outlook\nIdaho expects coding jobs to grow 7.2 percent from 2020 to 2030, and Montana 4.4 percent over 2022-2032.\n"
    assert growth_years(text) == {("us/id", "7.2", 2020, 2030), ("us/mt", "4.4", 2022, 2032)}
    # one span for the whole sentence is every figure's
    text = "Outlook\nBetween 2022 and 2032, coding jobs in Utah should grow 9% and jobs nationwide 5%.\n"
    assert growth_years(text) == {("us/ut", "9", 2022, 2032), ("us", "5", 2022, 2032)}


def test_a_percentage_projected_nationally_is_national():
    text = "Outlook\nOregon is set to add coding jobs at 6% through 2032, ahead of the 3.9% forecast nationally.\n"
    assert growth_years(text) == {("us/or", "6", None, 2032), ("us", "3.9", None, 2032)}
    text = "Outlook\nDelaware jobs should grow 4.5% from 2022 to 2032, above the 4% expected nationwide over the same years.\n"
    assert growth_years(text) == {("us/de", "4.5", 2022, 2032), ("us", "4", 2022, 2032)}


def test_a_figure_restated_per_another_period_after_a_bare_comma_keeps_its_statistic():
    text = "Pay\nThe Tulsa, OK median is $21.10 an hour, $43,890 a year.\n"
    assert wage_values(text) == {("us/ok/tulsa-ok", "Hour", "median", "21.10"),
                                 ("us/ok/tulsa-ok", "Year", "median", "43890")}
    # two figures of one period after a comma are not a restatement
    text = "Pay\nIn Tulsa, OK the median is $21.10 an hour, $24.00 an hour for coders with a CPC.\n"
    assert ("us/ok/tulsa-ok", "Hour", "unspecified", "24.00") in wage_values(text)


def test_fact_sheet_label_lines_name_the_statistic_and_period_and_averaged_is_a_mean():
    text = "# Pay in Oklahoma\n\n### Tulsa, OK\n\n- Median annual: $43,890\n- Mean hourly: $22.05\n- Employment: 910\n"
    assert wage_values(text) == {("us/ok/tulsa-ok", "Year", "median", "43890"), ("us/ok/tulsa-ok", "Hour", "mean", "22.05")}
    text = "Pay\nBillers in Puerto Rico averaged $13.40 an hour, or $27,870 a year.\n"
    assert wage_values(text) == {("us/pr", "Hour", "mean", "13.40"), ("us/pr", "Year", "mean", "27870")}


def test_a_region_column_with_places_glossed_in_parentheses_and_a_pay_column_of_ranges_with_units():
    text = ("# Coding jobs in Idaho\n\n| Region | Employer | Posted pay |\n|---|---|---|\n"
            "| Treasure Valley (Boise / Nampa) | Sawtooth Clinic | $19.50 \u2013 $23.00 /hr |\n"
            "| Magic Valley | Snake River Ortho | $41,000 \u2013 $47,500 /yr |\n"
            "| The Palouse (Moscow\u2013Lewiston) | Camas Health | $20.00 /hr |\n")
    assert wage_values(text) == {
        ("us/id/treasure-valley", "Hour", "low", "19.50"), ("us/id/treasure-valley", "Hour", "high", "23.00"),
        ("us/id/magic-valley", "Year", "low", "41000"), ("us/id/magic-valley", "Year", "high", "47500"),
        ("us/id/palouse", "Hour", "unspecified", "20.00")}
    vocabulary = load_vocabulary()
    assert read_place(vocabulary, "The Palouse (Moscow\u2013Lewiston)", None).region_class == "InformalRegion"
    assert read_place(vocabulary, "Washington County (South County)", None).name == "Washington County"
    # a state glossed with its cities is no place we can name
    assert read_place(vocabulary, "Idaho (Boise / Nampa)", None) is None


def test_tables_whose_rows_are_statistics_take_their_place_from_the_heading_one_statistic_per_period():
    text = ("# Pay in Montana\n\n## By market\n\n### Billings, MT\n\n| Statistic | Hourly | Annual |\n|---|---|---|\n"
            "| 25th percentile | $17.10 | $35,570 |\n| Median | $20.40 | $42,430 |\n\n"
            "### Great Falls, MT\n\n| Statistic | Hourly | Annual |\n|---|---|---|\n| Mean | $19.90 | $41,390 |\n")
    records = {(r.region.key, r.period, tuple(sorted((v.measure, str(v.amount)) for v in r.values)))
               for r in figures(text, "WageStatistic")}
    assert records == {
        ("us/mt/billings-mt", "Hour", (("median", "20.40"), ("percentile25", "17.10"))),
        ("us/mt/billings-mt", "Year", (("median", "42430"), ("percentile25", "35570"))),
        ("us/mt/great-falls-mt", "Hour", (("mean", "19.90"),)),
        ("us/mt/great-falls-mt", "Year", (("mean", "41390"),))}
    # rows that are not all statistics ("Entry level") are not read as a table of statistics
    text = ("# Pay\n\n### Billings, MT\n\n| Level | Hourly | Annual |\n|---|---|---|\n"
            "| Entry level | $16.00 | $33,280 |\n| Median | $20.40 | $42,430 |\n")
    assert not [v for v in wage_values(text) if v[3] == "16.00" and v[2] != "unspecified"]


def test_spoken_places_a_city_metro_a_city_after_for_and_a_borough_never_carried_to_the_next_place():
    text = ("# Coding in Arizona, episode 12\n\n"
            "[00:02:09] HOST: The BLS number for the Tucson metro is a mean of $22.10 an hour, which works out to "
            "about $45,970 a year.\n\n"
            "[00:02:27] GUEST: Down in the Cedar Hollow Borough, the clinic there was hiring at $21.75 an hour to "
            "start. For Flagstaff the median is $23.30 an hour. For Pinecrest Ridge the median is $19.80 an hour.\n")
    values = wage_values(text)
    assert {("us/az/tucson-metro", "Hour", "mean", "22.10"), ("us/az/tucson-metro", "Year", "mean", "45970"),
            ("us/az/flagstaff", "Hour", "median", "23.30"), (None, "Hour", "median", "19.80")} <= values
    assert {v[0] for v in values if v[3] == "21.75"} == {"us/cedar-hollow-borough"}
    # a state's metro areas are not a metro area named after the state
    assert not [p for p in _places("Texas metro areas pay more than rural ones.") if p[1] == "MetropolitanArea"]


def test_downstate_capitalised_hyphenated_cities_a_region_head_alone_and_a_place_glossed_in_parentheses():
    assert wage_values("# Coding in Illinois\n\nDownstate, coders start at about $18.20 an hour.\n") == \
        {("us/il/downstate-illinois", "Hour", "unspecified", "18.20")}
    assert ("Wilkes-Barre", "City", ("us/pa",)) in _places("A biller in Wilkes-Barre says pay is flat.", "PA")
    assert ("Grand Rapids-Kentwood", "MetropolitanArea", ("us/mi",)) in _places("Jobs in Grand Rapids-Kentwood pay well.", "MI")
    assert wage_values("# Coding in Mississippi\n\nAcross the Delta, billers are seeing about $16.40 an hour.\n") == \
        {("us/ms/delta", "Hour", "unspecified", "16.40")}
    text = "# Coding in Delaware\n\nA member in Kent County (the Shore) writes that billers make about $22.40 an hour.\n"
    assert wage_values(text) == {("us/de/kent-county", "Hour", "unspecified", "22.40")}


def test_a_place_named_in_an_aside_is_not_the_place_of_the_figure_after_it():
    text = ("# Pay in Montana\n\nThe Southwest Montana nonmetropolitan area, which covers much of the state, has a "
            "median annual wage of $41,200.\n")
    assert wage_values(text) == {("us/mt/southwest-montana-nonmetropolitan-area", "Year", "median", "41200")}
    text = "# Pay in Illinois\n\nIn Cook County (home of Chicago), the median is $24.60 an hour.\n"
    assert wage_values(text) == {("us/il/cook-county", "Hour", "median", "24.60")}


def test_a_place_named_together_with_another_is_not_the_place_of_their_figure():
    # both towns: the territory the sentence opens with holds them
    text = "Puerto Rico pay\n\nPuerto Rico: postings in Ponce and Yauco offered $24,100 to $29,300 a year.\n"
    assert wage_values(text) == {("us/pr", "Year", "low", "24100"), ("us/pr", "Year", "high", "29300")}
    # two states and no "respectively": neither one
    text = "Pay\n\nIn Ohio and Kentucky, coders earn a median of $21.30 an hour.\n"
    assert wage_values(text) == {(None, "Hour", "median", "21.30")}
    # one town: the town
    text = "Puerto Rico pay\n\nPuerto Rico: clinics in Ponce quote about $11.20 an hour.\n"
    assert wage_values(text) == {("us/pr/ponce", "Hour", "unspecified", "11.20")}


def test_a_table_whose_columns_are_places_and_rows_statistics_with_their_periods():
    text = ("# Pay in Oklahoma\n\nMedical records specialists, May 2024\n\n| Statistic | Tulsa, OK | Lawton, OK |\n"
            "|---|---|---|\n| Median hourly wage | $21.10 | $18.40 |\n| Annual mean wage | $45,220 | $39,870 |\n"
            "| Openings per year | 140 | 35 |\n")
    # a row that is not a statistic: the table is not read this way
    assert not [v for v in wage_values(text) if v[0] and "lawton" in v[0]]
    text = text.replace("| Openings per year | 140 | 35 |\n", "")
    assert wage_values(text) == {("us/ok/tulsa-ok", "Hour", "median", "21.10"), ("us/ok/tulsa-ok", "Year", "mean", "45220"),
                                 ("us/ok/lawton-ok", "Hour", "median", "18.40"), ("us/ok/lawton-ok", "Year", "mean", "39870")}


def test_pay_columns_that_are_not_wages():
    text = ("# Jobs in Iowa\n\n| City | Employer | Sign-on bonus | Pay |\n|---|---|---|---|\n"
            "| Ames, IA | Prairie Clinic | $1,500 | $0.90 per claim |\n| Ankeny, IA | Loess Hills Health | $2,000 | $21.40 /hr |\n")
    assert wage_values(text) == {("us/ia/ankeny-ia", "Hour", "unspecified", "21.40")}


def test_a_table_without_a_place_column_is_about_the_one_place_its_caption_names_before_the_title():
    text = ("# Coding careers in Colorado\n\n## Wages\n\nThe table below gives wages for medical records specialists in Greeley, CO, as of May 2024.\n\n"
            "| Measure | Hourly | Annual |\n|---|---|---|\n| Median | $21.60 | $44,930 |\n")
    assert wage_values(text) == {("us/co/greeley-co", "Hour", "median", "21.60"), ("us/co/greeley-co", "Year", "median", "44930")}


def test_spoken_restatements_mean_as_a_verb_and_a_metro_in_the_state_its_city_is_in():
    text = ("# Coding in Idaho\n\n[00:01:14] GUEST: The BLS figure for the Boise metro is a median of $22.40 an hour, "
            "which comes to about $46,590 a year.\n\n[00:01:40] GUEST: Out in Bonner County... sorry, I mean Kootenai "
            "County, the hospital was hiring at $21.10 an hour to start.\n")
    values = wage_values(text)
    assert {("us/id/boise-metro", "Hour", "median", "22.40"), ("us/id/boise-metro", "Year", "median", "46590"),
            ("us/id/kootenai-county", "Hour", "unspecified", "21.10")} <= values
    # a metro named after a city of another state is that state's, not the document's
    text = "# Coding in Iowa\n\nAcross the river, in the Omaha metro, the mean is $22.70 an hour.\n"
    assert wage_values(text) == {("us/ne/omaha-metro", "Hour", "mean", "22.70")}


def test_job_cards_remote_pay_a_statistic_named_before_its_amount_and_growth_of_all_occupations():
    text = ("# Coding pay in Utah\n\n## Job cards\n\n**Coder II \u2014 Ogden, UT** \u2014 $21.50\u2013$25.75/hr \u2014 CPC required\n\n"
            "**Remote auditor** \u2014 $31/hr\n\n## Pay\n\nThe Provo-Orem, UT median is $22.95 an hour; the 90th percentile "
            "is $32.10.\n\nEmployment of medical records specialists in Utah is projected to grow 11.4% from 2022 to "
            "2032, much faster than the 7% projected for all occupations.\n")
    values = wage_values(text)
    assert {("us/ut/ogden-ut", "Hour", "low", "21.50"), (None, "Hour", "unspecified", "31"),
            ("us/ut/provo-orem-ut", "Hour", "percentile90", "32.10")} <= values
    assert not [v for v in values if v[0] and "coder" in v[0]]
    assert growth(text) == {("us/ut", "11.4")}


def test_a_change_that_already_happened_is_no_projection():
    text = ("Outlook\nEmployment in Salem, OR grew 3% last year, and coding jobs there are projected to grow 6% "
            "from 2022 to 2032.\n")
    assert growth_years(text) == {("us/or/salem-or", "6", 2022, 2032)}


def test_bls_names_joined_by_a_slash():
    vocabulary = load_vocabulary()
    place = read_place(vocabulary, "Louisville/Jefferson County, KY-IN", None)
    assert (place.region_class, place.parents) == ("MetropolitanArea", ("us/ky", "us/in"))
    assert ("Anderson/Pendleton, SC", "MetropolitanArea", ("us/sc",)) in _places("Pay in Anderson/Pendleton, SC is flat.")


# ---------------------------------------------------------------- places named after another figure, regions of a state

def test_a_place_named_after_a_later_figure_is_that_figures_not_the_first_ones():
    text = ("Pay\nBillers in Plano earn $23 an hour, compared with $21 for Texas as a whole.\n")
    values = wage_values(text)
    assert ("us/tx", "Hour", "unspecified", "21") in values
    assert not {v for v in values if v[3] == "23" and v[0] is not None}


def test_a_place_no_rule_reads_before_the_figure_keeps_a_later_state_off_it():
    text = "Pay\nIn Kailua, coders earn a median of $26.05 hourly; the statewide figure for Hawaii is $24.80.\n"
    values = wage_values(text)
    assert (None, "Hour", "median", "26.05") in values
    assert not {v for v in values if v[3] == "26.05" and v[0] is not None}


def test_a_place_named_right_after_its_figure_is_still_read():
    assert wage_values("Pay\nThe median wage is $20.75 an hour in Iowa.\n") == {("us/ia", "Hour", "median", "20.75")}


def test_a_region_of_a_state_is_that_region_not_the_state():
    text = "Pay\nBillers on the Western Slope of Colorado earn a median of $22.60 an hour.\n"
    assert wage_values(text) == {("us/co/western-slope-of-colorado", "Hour", "median", "22.60")}
    text = "Pay\nIn the Mississippi Delta of Arkansas the median is $16.90 an hour.\n"
    assert wage_values(text) == {("us/ar/mississippi-delta-of-arkansas", "Hour", "median", "16.90")}


# ---------------------------------------------------------------- statistics named after the figure, halves

def test_on_average_after_a_figure_makes_that_figure_a_mean_and_not_the_next():
    text = "Pay\nBillers in Nevada make $22 an hour on average, against $20 in Utah.\n"
    values = wage_values(text)
    assert ("us/nv", "Hour", "mean", "22") in values
    assert not {v for v in values if v[3] == "20" and v[2] == "mean"}


def test_the_amount_half_earn_more_or_less_than_is_the_median():
    assert wage_values("Earnings\nHalf of the coders in Kansas made less than $41,300 a year.\n") == \
        {("us/ks", "Year", "median", "41300")}
    assert wage_values("Earnings\nIn Delaware, 50 percent of billers earn more than $21.15 an hour.\n") == \
        {("us/de", "Hour", "median", "21.15")}


# ---------------------------------------------------------------- growth: shares and past changes are no projections

def test_a_change_told_in_the_past_tense_is_no_projection():
    text = ("Outlook\nBilling jobs in Vermont fell 4% between 2018 and 2021, and they are expected to grow 6% by "
            "2031.\n")
    assert growth(text) == {("us/vt", "6")}


def test_a_share_of_workers_is_no_growth():
    text = "Outlook\nRoughly 22% of Idaho billers work from home; employment is projected to rise 5% in Idaho.\n"
    assert growth(text) == {("us/id", "5")}


# ---------------------------------------------------------------- rows of a table or list: their section's state

def test_a_statewide_row_is_the_state_of_the_table_and_none_without_one():
    text = "Pay in Arkansas\n| City | Hourly pay |\n|---|---|\n| Conway | $18.40 |\n| Statewide | $17.95 |\n"
    assert wage_values(text) == {("us/ar/conway", "Hour", "unspecified", "18.40"),
                                 ("us/ar", "Hour", "unspecified", "17.95")}
    text = "Pay\n| City | Hourly pay |\n|---|---|\n| Conway | $18.40 |\n| Statewide | $17.95 |\n"
    assert ("us/ar", "Hour", "unspecified", "17.95") not in wage_values(text)
    assert not {v for v in wage_values(text) if v[3] == "17.95" and v[0] is not None}


def test_cities_in_a_section_about_another_state_lie_in_that_state_not_the_titles():
    text = ("Billing Careers in Missouri\nMissouri has many clinics.\n\nWages in Arkansas\n"
            "| City | Hourly pay |\n|---|---|\n| Conway | $18.40 |\n")
    assert wage_values(text) == {("us/ar/conway", "Hour", "unspecified", "18.40")}
    text = "Billing Careers in Missouri\nMissouri has many clinics.\n\nWages in Arkansas\n- Conway: $18.40 an hour\n"
    assert wage_values(text) == {("us/ar/conway", "Hour", "unspecified", "18.40")}


def test_a_statistic_written_right_after_the_amount_is_its_own():
    text = "Pay\n- Provo, UT: $21.35/hr median\n- Ogden, UT: $20.05/hr average\n"
    assert wage_values(text) == {("us/ut/provo-ut", "Hour", "median", "21.35"),
                                 ("us/ut/ogden-ut", "Hour", "mean", "20.05")}
    assert wage_values("Pay\nIn Maine coders earn $19 an hour, median $20 for certified coders.\n") >= \
        {("us/me", "Hour", "unspecified", "19")}


def test_at_the_median_after_an_amount_is_its_own_and_not_the_next_figures():
    text = "Pay\nBillers in Kentucky earned $18.70 an hour at the median; Tennessee billers earned $19.90.\n"
    assert wage_values(text) == {("us/ky", "Hour", "median", "18.70"), ("us/tn", "Hour", "unspecified", "19.90")}


def test_a_figure_for_a_region_the_sentence_does_not_name_has_no_place():
    text = "Pay\nIn Oregon billers earn $22.40 an hour, under the median of $24.15 for the region.\n"
    values = wage_values(text)
    assert (None, "Hour", "median", "24.15") in values
    assert ("us/or", "Hour", "unspecified", "22.40") in values


def test_rural_or_urban_before_a_state_names_a_part_of_it_not_the_state():
    text = "Pay\nBillers in rural Nebraska often start near $15.50 an hour.\n"
    assert wage_values(text) == {("us/ne/rural-nebraska", "Hour", "unspecified", "15.50")}


def test_a_state_named_in_an_as_in_or_unlike_aside_is_not_the_figures_place():
    for aside in ("as in Iowa", "unlike Iowa"):
        text = f"Pay\nIn Minnesota, {aside}, billers earn a median of $22.30 an hour.\n"
        assert wage_values(text) == {("us/mn", "Hour", "median", "22.30")}


def test_a_table_whose_pay_column_header_names_one_state_is_that_states():
    text = "Pay\n| Year | Wyoming median |\n|---|---|\n| 2022 | $20.35 |\n"
    assert wage_values(text) == {("us/wy", "Hour", "median", "20.35")}
    text = "Pay\n| Year | Wyoming vs. U.S. median |\n|---|---|\n| 2022 | $20.35 |\n"
    assert not {v for v in wage_values(text) if v[0] is not None}
