from ingest.segments import build_passages, units_of
from ingest.layout import parse_layout


def kinds(text):
    return [(line.kind, line.text) for line in parse_layout(text).lines]


def test_title_headings_and_paragraphs_one_per_line():
    text = ("Become a Coder in Ohio\nThe field is growing fast.\nEducation and Training\n"
            "Programs take a year to complete. Most are online.\n")
    layout = parse_layout(text)
    assert layout.title == "Become a Coder in Ohio"
    assert [l.kind for l in layout.lines] == ["title", "paragraph", "heading", "paragraph"]
    assert layout.lines[-1].section == "Education and Training"


def test_bulleted_list_joins_its_lead_in():
    text = "Classes typically include:\n- Anatomy\n- Medical terminology\n\u2022 Claims processing\n"
    layout = parse_layout(text)
    assert [b.kind for b in layout.blocks] == ["list"]
    assert [l.kind for l in layout.blocks[0].lines] == ["paragraph", "list_item", "list_item", "list_item"]


def test_bare_short_lines_after_a_colon_are_a_list_not_headings():
    text = ("Intro line that is long enough to be a paragraph of text here. The curriculum covers subjects such as:\n"
            "Medical terminology\nCoding systems (ICD-10, CPT, HCPCS)\nHIPAA compliance\n"
            "2.Obtain Certification\nWhile certification is not mandatory in all states, it is recommended by most.\n")
    found = kinds(text)
    assert found[1:4] == [("list_item", "Medical terminology"), ("list_item", "Coding systems (ICD-10, CPT, HCPCS)"),
                          ("list_item", "HIPAA compliance")]
    assert found[4][0] == "heading"


def test_markdown_headings_and_pipe_table():
    text = "# Pay in Texas\n\n## By area\n\n| Area | Median |\n|---|---|\n| Austin, TX MSA | $22.10 |\n"
    layout = parse_layout(text)
    assert layout.title == "Pay in Texas"
    table = [l for l in layout.lines if l.kind.startswith("table")]
    assert [l.kind for l in table] == ["table_header", "table_row"]
    cells = [text[s:e] for s, e in table[1].cells]
    assert cells == ["Austin, TX MSA", "$22.10"]


def test_run_together_table_is_detected():
    text = ("See the table below.\nLocationPay TypeLowMedianHigh\nUnited StatesHourly$12.05$18.29$30.21\n"
            "Stockton, CA MSAHourly$12.45$20.54$31.39\n")
    assert [k for k, _ in kinds(text)] == ["title", "table_header", "table_row", "table_row"] or \
        [k for k, _ in kinds(text)][1:] == ["table_header", "table_row", "table_row"]


def test_hard_wrapped_paragraphs_are_joined():
    text = ("Medical Coding Careers\n\nMedical coders translate clinical notes into codes that\n"
            "insurers use to pay claims, and most of them work in hospitals\nor physician offices.\n\n"
            "Pay\n\nThe median wage is about twenty dollars an hour in most\nstates of the country today.\n")
    layout = parse_layout(text)
    paragraphs = [b for b in layout.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 2
    assert [l.kind for l in layout.lines if l.text == "Pay"] == ["heading"]


def test_passages_cover_units_with_exact_offsets():
    text = ("Title Here\nFirst paragraph has two sentences. Here is the second one.\n"
            "A Heading\nAnother paragraph under the heading.\n")
    layout = parse_layout(text)
    units = units_of(layout)
    passages = build_passages(layout, units)
    for passage in passages:
        for unit in passage.units:
            assert passage.start <= unit.start < unit.end <= passage.end
    heading_passage = next(p for p in passages if "A Heading" in text[p.start:p.end])
    assert text[heading_passage.start:heading_passage.end] == "A Heading\nAnother paragraph under the heading."
    sentences = [text[u.start:u.end] for u in units if u.kind == "sentence"]
    assert "Here is the second one." in sentences


def test_long_paragraphs_are_cut_into_sentence_windows():
    sentence = "Medical coders review charts and assign codes for every service the provider performs. "
    text = "Title\n" + sentence * 12 + "\n"
    layout = parse_layout(text)
    passages = build_passages(layout, units_of(layout))
    assert len(passages) >= 2
    assert all(len(text[p.start:p.end].split()) <= 120 for p in passages)


def test_a_wrapped_sentence_with_two_amounts_is_not_a_packed_table_row():
    text = ("Pay by area\n\nMemphis. Specialists in the Memphis metro area earned a mean wage of\n"
            "$21.64 per hour, while the annual median wage was $44,180. Large academic\n"
            "and children's hospitals keep demand for inpatient coders steady. The rest of\n"
            "this paragraph runs on over a few more lines so that the text reads as wrapped.\n\n"
            "Another paragraph follows here, wrapped like the one before it, and it goes\n"
            "on for a second line as well.\n")
    found = kinds(text)
    assert all(kind not in ("table_row", "heading") for kind, _ in found[1:]), found
    units = units_of(parse_layout(text))
    assert any("$21.64 per hour, while the annual median wage was $44,180." in text[u.start:u.end] for u in units)


def test_wrapped_lines_after_a_colon_line_are_not_a_bare_list():
    text = ("Forum thread\n\nThe first post is a paragraph that wraps over more than one line of text\n"
            "and goes on to a second line here.\n\n> billing_betty wrote:\n> The CPC is a credential of AAPC.\n"
            "Agree. Two more worth knowing:\n"
            "A: AAPC's CRC is the risk adjustment cert - big with Medicare Advantage plans\n"
            "that report to CMS. And if you'd rather do billing than coding, AMBA grants\n"
            "the CMRS; AMBA is the American Medical Billing Association.\n\n"
            "Another post wraps over two lines as well, with words enough to count as\n"
            "a wrapped paragraph of the thread.\n")
    units = units_of(parse_layout(text))
    assert any(text[u.start:u.end].startswith("And if you'd rather do billing than coding, AMBA grants\nthe CMRS")
               for u in units)


def test_a_wrapped_line_holding_a_pay_range_is_prose_not_a_packed_table_row():
    text = ("Openings\n\nRecruiters told us that billing postings around Bismarck paid anywhere\n"
            "in a band of $17.40 to $22.85 an hour, most of them for hospital work and\n"
            "a handful for clinics, and the rest of this paragraph keeps running on for\n"
            "a few lines more so that the text reads as hard-wrapped prose throughout.\n\n"
            "Another paragraph follows it, wrapped at the same width as the one before,\n"
            "and it goes on for a second line as well.\n")
    found = kinds(text)
    assert all(kind not in ("table_row", "heading") for kind, _ in found[1:]), found
    units = units_of(parse_layout(text))
    assert any("$17.40 to $22.85 an hour, most of them for" in text[u.start:u.end] for u in units)
