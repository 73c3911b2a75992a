from decimal import Decimal

import pytest
from helpers import figures, wage_values

from ingest.quantities import find_counts, find_money, find_percentages, find_year_range


@pytest.mark.parametrize("text, value", [
    ("over $57k", Decimal("57000")), ("$27.00 an hour", Decimal("27.00")), ("$66,980", Decimal("66980")),
    ("$1.2 million", Decimal("1200000")), ("45,000 dollars", Decimal("45000")),
])
def test_money(text, value):
    assert [f.value for f in find_money(text)] == [value]


def test_money_qualifier_and_counts_and_percentages():
    assert find_money("is over $57k")[0].qualifier == "over"
    assert [(f.value, f.qualifier) for f in find_counts("with over 18,000 specialists in 2021")] == \
        [(Decimal("18000"), "over")]
    assert [f.value for f in find_percentages("grow by 8% or 7 percent, falling -3%")] == \
        [Decimal("8"), Decimal("7"), Decimal("-3")]


@pytest.mark.parametrize("text, years", [
    ("from 2021 to 2031", (2021, 2031)), ("between 2022 and 2032", (2022, 2032)), ("2022-2032", (2022, 2032)),
    ("Through 2024, the BLS", (None, 2024)), ("by the year 2031", (None, 2031)), ("no years here", (None, None)),
])
def test_year_ranges(text, years):
    assert find_year_range(text) == years


def test_prose_wages_measure_period_and_region():
    text = ("Salaries in California\nCompared to the national average of $46k, the mean annual salary of billers "
            "and coders in CA is over $57k, which equates to around $27.00 an hour.\n")
    assert wage_values(text) == {("us", "Year", "mean", "46000"), ("us/ca", "Year", "mean", "57000"),
                                 ("us/ca", "Hour", "mean", "27.00")}


def test_ranges_experience_and_reference_year():
    text = ("Pay\nAccording to the BLS, the median annual wage for medical records specialists was $42,630 as of "
            "May 2020. Entry-level coders earn $30,000 to $40,000 per year.\n")
    records = figures(text, "WageStatistic")
    median = next(r for r in records if r.values[0].measure == "median")
    assert median.reference_year == 2020 and median.source.key == "bls" and median.role.key == "medical-records-specialist"
    ranged = next(r for r in records if r.experience == "entry-level")
    assert [(v.measure, v.amount) for v in ranged.values] == [("low", Decimal("30000")), ("high", Decimal("40000"))]


def test_list_items_with_places_take_their_measure_from_their_lead_in_and_never_mean_by_default():
    text = ("Wages in California\nCoders in the Los Angeles-Long Beach-Anaheim area of California make an average "
            "salary of $57,310.\nTop cities include:\n- San Francisco \u2013 $66,980\n- Stockton \u2013 $65,990\n")
    assert {("us/ca/san-francisco", "Year", "unspecified", "66980"), ("us/ca/stockton", "Year", "unspecified", "65990"),
            ("us/ca/los-angeles-long-beach-anaheim-area", "Year", "mean", "57310")} <= wage_values(text)
    text = "Pay in Oregon\nMedian pay by city:\n- Salem \u2013 $51,200\n- Eugene \u2013 $49,800\n"
    assert {("us/or/salem", "Year", "median", "51200"), ("us/or/eugene", "Year", "median", "49800")} <= wage_values(text)


def test_run_together_table_rows():
    text = ("Pay in California\nSee the table below.\nLocationPay TypeLowMedianHigh\n"
            "United StatesHourly$12.05$18.29$30.21\nNorthern Mountains Region (BOS)Hourly$11.97$22.44$30.91\n")
    assert wage_values(text) == {
        ("us", "Hour", "low", "12.05"), ("us", "Hour", "median", "18.29"), ("us", "Hour", "high", "30.21"),
        ("us/ca/northern-mountains-region-bos", "Hour", "low", "11.97"),
        ("us/ca/northern-mountains-region-bos", "Hour", "median", "22.44"),
        ("us/ca/northern-mountains-region-bos", "Hour", "high", "30.91"),
    }


def test_markdown_table_with_hourly_and_annual_columns():
    text = ("# Coder pay in Texas\n\n| Area | Hourly Median | Annual Mean | Employment |\n|---|---|---|---|\n"
            "| Austin-Round Rock, TX MSA | $22.50 | $48,500 | 1,230 |\n")
    records = figures(text, "WageStatistic")
    assert {(r.period, v.measure, str(v.amount)) for r in records for v in r.values} == {
        ("Hour", "median", "22.50"), ("Year", "mean", "48500")}
    assert {r.region.key for r in records} == {"us/tx/austin-round-rock-tx-msa"}
    assert sum(1 for r in records if r.employment) == 1


def test_fact_sheet_layout():
    text = ("Ohio Medical Coder Fact Sheet\n\nLocation: Columbus, OH\n\nMedian hourly wage: $21.40\n"
            "Employment: 2,150\nProjected growth (2022-2032): 9%\n")
    wages = wage_values(text)
    assert wages == {("us/oh/columbus-oh", "Hour", "median", "21.40")}
    growth = figures(text, "GrowthProjection")[0]
    assert (growth.percent, growth.start_year, growth.end_year, growth.region.key) == (Decimal("9"), 2022, 2032,
                                                                                        "us/oh/columbus-oh")
    assert figures(text, "EmploymentStatistic")[0].count == Decimal("2150")


def test_growth_with_years_source_decline_and_openings():
    text = ("Outlook\nAccording to the Bureau of Labor Statistics, employment of medical records specialists is "
            "projected to grow by8% from 2021 to 2031. In Ohio the field is projected to decline 3% through 2030. "
            "Roughly 14,900 medical biller and coder job openings per year are expected by 2031.\n")
    growth = figures(text, "GrowthProjection")
    summary = {(g.region.key, g.percent, g.start_year, g.end_year, g.annual_openings) for g in growth}
    assert ("us", Decimal("8"), 2021, 2031, None) in summary
    assert ("us/oh", Decimal("-3"), None, 2030, None) in summary
    assert any(g.annual_openings == Decimal("14900") and g.end_year == 2031 for g in growth)
    assert next(g for g in growth if g.percent == 8).source.key == "bls"


def test_employment_count_and_the_state():
    text = ("Jobs in California\nCalifornia has over 18,000 medical record specialists employed as of 2021. "
            "The state pays a median of $24.10 an hour.\n")
    employment = figures(text, "EmploymentStatistic")[0]
    assert (employment.count, employment.qualifier, employment.reference_year) == (Decimal("18000"), "over", 2021)
    assert ("us/ca", "Hour", "median", "24.10") in wage_values(text)


def test_costs_are_not_wages():
    assert not figures("Courses\nThe exam fee is $399 and tuition costs $2,500 per year.\n", "WageStatistic")


def test_figures_that_disagree_are_both_kept():
    text = ("Outlook\nThe BLS projects 7% growth for medical coders. Another source projects 8% growth from 2022 to 2032.\n")
    assert sorted(g.percent for g in figures(text, "GrowthProjection")) == [Decimal("7"), Decimal("8")]


def test_percentile_and_range_columns():
    text = ("# Coder pay in Utah\n\n| Area | 10% | Median | 90% | Employment per 1,000 jobs |\n|---|---|---|---|---|\n"
            "| Salt Lake City, UT MSA | $15.10 | $21.00 | $30.40 | 1.2 |\n\n## Ranges\n\n| Role | Salary Range |\n"
            "|---|---|\n| Medical Coder | $38,000 - $52,000 |\n")
    records = figures(text, "WageStatistic")
    assert wage_values(text) == {
        ("us/ut/salt-lake-city-ut-msa", "Hour", "percentile10", "15.10"),
        ("us/ut/salt-lake-city-ut-msa", "Hour", "median", "21.00"),
        ("us/ut/salt-lake-city-ut-msa", "Hour", "percentile90", "30.40"),
        ("us/ut", "Year", "low", "38000"), ("us/ut", "Year", "high", "52000"),
    }
    assert not any(r.employment for r in records)   # a rate per 1,000 jobs is not a head count
    assert next(r for r in records if r.region.key == "us/ut").role.key == "medical-coder"


def test_tab_separated_table_and_pipe_table_without_separator():
    tsv = ("Top paying states for medical coders\n\nState\tAnnual mean wage\tEmployment\n"
           "New Jersey\t$55,430\t5,230\nDistrict of Columbia\t$58,100\t650\n")
    assert wage_values(tsv) == {("us/nj", "Year", "mean", "55430"), ("us/dc", "Year", "mean", "58100")}
    assert {(r.region.key, r.employment[0]) for r in figures(tsv, "WageStatistic")} == {
        ("us/nj", Decimal("5230")), ("us/dc", Decimal("650"))}
    pipes = "Pay\n\n| Area | Median |\n| Reno, NV MSA | $22.00 |\n"
    assert wage_values(pipes) == {("us/nv/reno-nv-msa", "Hour", "median", "22.00")}


@pytest.mark.parametrize("text, expected", [
    ("Pay in Colorado\nBilling specialists in Denver, CO average $47,000 a year.\n",
     {("us/co/denver-co", "Year", "mean", "47000")}),
    ("Pay in Idaho\nCoders in Boise, ID can expect roughly $19 hourly.\n",
         {("us/id/boise-id", "Hour", "unspecified", "19")}),   # no statistic named: never a mean
    ("Costs\nTuition runs about $3,000 a year at most community colleges.\n", set()),
])
def test_an_amount_per_period_is_pay_unless_it_is_a_cost(text, expected):
    assert wage_values(text) == expected


def test_openings_in_other_words():
    growth = figures("Outlook\nThe BLS predicts 2,300 new positions annually through 2032 for medical records "
                     "specialists.\n", "GrowthProjection")
    assert [(g.annual_openings, g.end_year, g.source.key) for g in growth] == [(Decimal("2300"), 2032, "bls")]


def test_dotted_quick_facts_block_under_a_setext_heading_naming_the_country():
    text = ("Occupational Profile for Ohio\n\nThe state section follows the national figures below.\n\n\n"
            "Quick Facts: Medical Records Specialists, United States\n"
            "------------------------------------------------------\n"
            "2023 Median Pay ........................ $48,780 per year / $23.45 per hour\n"
            "Typical Entry-Level Education .......... Postsecondary nondegree award\n"
            "Job Outlook, 2022-32 ................... 8% (Faster than average)\n"
            "------------------------------------------------------\n\n"
            "OHIO\n\nIn Ohio, coders earned a median wage of $20.96 per hour.\n")
    assert wage_values(text) == {("us", "Year", "median", "48780"), ("us", "Hour", "median", "23.45"),
                                 ("us/oh", "Hour", "median", "20.96")}
    growth = figures(text, "GrowthProjection")
    assert [(g.region.key, g.percent, g.start_year, g.end_year) for g in growth] == [("us", Decimal("8"), 2022, 2032)]


def test_measure_named_after_the_figure_and_a_city_opening_the_sentence():
    text = ("Pay in Tennessee\n\nKnoxville wages range from $15.92 an hour at the 10th percentile to $30.10 an hour "
            "at the 90th percentile, with a median of $20.48 an hour.\n")
    assert wage_values(text) == {("us/tn/knoxville", "Hour", "percentile10", "15.92"),
                                 ("us/tn/knoxville", "Hour", "percentile90", "30.10"),
                                 ("us/tn/knoxville", "Hour", "median", "20.48")}


def test_a_city_named_after_its_states_name_is_the_city():
    text = ("Missouri chapter news\n\nKansas City members reported a median of $25.10 an hour ($52,210 a year). "
            "Across Missouri, the annual median wage is $45,920.\n")
    assert wage_values(text) == {("us/mo/kansas-city", "Hour", "median", "25.10"),
                                 ("us/mo/kansas-city", "Year", "median", "52210"),
                                 ("us/mo", "Year", "median", "45920")}


def test_a_place_named_right_after_the_figure_ends_at_its_full_stop():
    text = ("Virginia coders\n\nI pulled it up, and it's $26.40 an hour in Richmond. Northern Virginia pays more.\n")
    assert {(key, period, value) for key, period, _, value in wage_values(text)} == {
        ("us/va/richmond", "Hour", "26.40")}


def test_job_board_cards_with_pay_ranges_take_the_place_line_of_their_card():
    text = ("# Medical coder jobs in Wisconsin\n\n## Medical Coder II\n\nLakeshore Orthopedic Partners\n\n"
            "Milwaukee, WI 53226 - Hybrid work\n\n$21 - $26 an hour\n\nFull-time\n\n"
            "## Patient Account Representative\n\nChippewa Valley Clinic\n\nEau Claire, WI\n\n"
            "From $52,000 a year\n\nFull-time\n\n## Filters\n\n- $20.00+ an hour (214)\n")
    assert wage_values(text) == {("us/wi/milwaukee-wi", "Hour", "low", "21"), ("us/wi/milwaukee-wi", "Hour", "high", "26"),
                                 ("us/wi/eau-claire-wi", "Year", "low", "52000")}


def test_metro_names_with_saint_and_hyphenated_principal_cities():
    minnesota = ("Pay in Minnesota\n\nThe May 2023 survey shows that coders in Minneapolis-St. Paul-Bloomington, "
                 "MN-WI earned a median of $27.10 an hour.\n")
    michigan = "Pay in Michigan\n\nIn Detroit, it is $23.47 an hour. In Grand Rapids-Kentwood, the median is $21.89 an hour.\n"
    assert [r.region.place.name for r in figures(minnesota, "WageStatistic")] == [
        "Minneapolis-St. Paul-Bloomington, MN-WI"]
    assert [r.region.place.name for r in figures(michigan, "WageStatistic")] == ["Detroit", "Grand Rapids-Kentwood"]


def test_a_national_word_right_after_the_figure_names_the_country():
    text = ("Oregon outlook\n\nThe Oregon Employment Department projects employment in the state to grow 9.2% between "
            "2022 and 2032, compared with 8 percent nationally over the same period.\n")
    assert {(g.region.key, g.percent) for g in figures(text, "GrowthProjection")} == {("us/or", Decimal("9.2")),
                                                                                    ("us", Decimal("8"))}


def test_one_table_row_gives_an_hourly_median_and_an_annual_mean_with_the_employment_on_the_annual_one():
    text = ("Wages in Arizona\n\n| Area | Jobs | Median (hourly) | Mean (annual) |\n|---|---|---|---|\n"
            "| Tucson, AZ | 1,030 | $21.37 | $45,870 |\n\nMedical records specialists, May 2023\n")
    records = figures(text, "WageStatistic")
    assert {(r.period, v.measure, str(v.amount), r.reference_year) for r in records for v in r.values} == {
        ("Hour", "median", "21.37", 2023), ("Year", "mean", "45870", 2023)}
    assert [(r.period, r.employment[0]) for r in records if r.employment] == [("Year", Decimal("1030"))]


def test_list_items_naming_the_measure_before_the_amount():
    text = ("Colorado pay\n\nPay, from the BLS numbers for May 2023:\n"
            "  - Denver-Aurora-Lakewood, CO: median of $26.35 an hour\n"
            "  - Colorado statewide: annual mean wage of $55,010\n"
            "Fort Collins, CO is a bit lower - the May 2023 hourly median there was $23.80.\n")
    assert wage_values(text) == {("us/co/denver-aurora-lakewood-co", "Hour", "median", "26.35"),
                                 ("us/co", "Year", "mean", "55010"),
                                 ("us/co/fort-collins-co", "Hour", "median", "23.80")}
    assert {r.reference_year for r in figures(text, "WageStatistic")} == {2023}
