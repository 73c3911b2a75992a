"""Reading a question (search.question) on short strings: names, misspellings, what is asked."""
import pytest

from search.question import Names, answers_wanted, is_known, entities_named, names_corrected, words_corrected

STOP = frozenset({"the", "in", "us", "what", "who", "does", "for", "is", "a", "how", "of"})


@pytest.fixture(scope="module")
def names():
    table = Names()
    for iri, kind, label, alias in [
        ("id:cria", "Certification", "Certified Revenue Integrity Analyst", "Certified Revenue Integrity Analyst"),
        ("id:cria", "Certification", "Certified Revenue Integrity Analyst", "CRIA"),
        ("id:pcg", "Organization", "Pacific Coding Guild", "PCG"),
        ("id:salem", "Region", "Salem, OR MSA", "Salem"),
        ("id:salem", "Region", "Salem, OR MSA", "Salem, OR MSA"),
        ("id:us", "Region", "United States", "US"),
        ("id:sj", "Region", "San Jose", "San Jose"),
        ("id:coder", "Role", "Medical Coder", "coders"),
    ]:
        table.add(iri, kind, label, alias)
    table.known_words = frozenset("who awards the pay in median coders what does for stand salary hourly".split())
    return table


def iris(found):
    return [n.iri for n in found]


def test_names_are_found_by_label_acronym_and_place(names):
    assert iris(entities_named("who awards the CRIA?", names, STOP)) == ["id:cria"]
    assert iris(entities_named("Certified Revenue Integrity Analyst issuer", names, STOP)) == ["id:cria"]
    assert iris(entities_named("median pay in Salem, OR MSA", names, STOP)) == ["id:salem"]
    assert iris(entities_named("pcg credentials", names, STOP)) == ["id:pcg"]


def test_a_name_with_its_last_word_cut_short_is_matched(names):
    """"san fran", "certified revenue integ": a typed prefix of the last word, every other word exact."""
    table = Names()
    for iri, name in (("id:sf", "San Francisco"), ("id:sfe", "San Fernando"), ("id:cp", "Certificate Programs"),
                      ("id:ny", "New York"), ("id:nyk", "New Yorkshire")):
        table.add(iri, "Region", name, name)
    fran = entities_named("hourly pay in san fran", table, STOP)
    assert iris(fran) == ["id:sf"] and fran[0].fuzzy and names_corrected("hourly pay in san fran", fran).endswith("San Francisco")
    assert iris(entities_named("certificate program length", table, STOP)) == []     # a plural is not a cut name
    assert iris(entities_named("jobs in new york", table, STOP)) == ["id:ny"]        # exact first
    assert iris(entities_named("jobs in new yor", table, STOP)) == []                # fits two names: left alone
    assert iris(entities_named("pay in san f", table, STOP)) == []                   # too short to tell


def test_a_stop_word_is_a_name_only_in_capitals(names):
    assert iris(entities_named("median pay in the US", names, STOP)) == ["id:us"]
    assert iris(entities_named("tell us the median pay", names, STOP)) == []


def test_misspelled_names_are_matched_and_can_be_corrected(names):
    found = entities_named("medcal codr salry san jsoe", names, STOP)
    assert iris(found) == ["id:sj"] and found[0].fuzzy and found[0].typed == "san jsoe"
    assert names_corrected("medcal codr salry san jsoe", found) == "medcal codr salry San Jose"
    assert iris(entities_named("who awrds the Certified Revenue Integrity Analsyt", names, STOP)) == ["id:cria"]
    assert iris(entities_named("pay in salme", names, STOP)) == ["id:salem"]


def test_a_real_word_is_never_fuzzy_matched_to_a_name(names):
    # "sale" is close to "salem" but it is a word the corpus knows: no Salem here
    table = Names(names.by_key, names.entities, names.written, names.known_words | {"sales"})
    assert entities_named("sales jobs", table, STOP) == []


def test_misspelled_words_are_spelled_as_the_corpus_spells_them():
    known = frozenset({"salary", "hourly", "median", "coders", "commute", "yearly"})
    assert words_corrected("medain salry", known) == "median salary"
    assert words_corrected("yearly commuting", known) == "yearly commuting"     # known words and inflections stay
    assert words_corrected("xyzzy plugh", known) == "xyzzy plugh"               # nothing close: left alone
    assert is_known("commuting", known) and is_known("salaries", frozenset({"salary"}))


@pytest.mark.parametrize("question, kinds, kind_named", [
    ("who awards the CRIA", ("issuer",), ["Certification"]),
    ("cria cert issuer", ("issuer",), ["Certification"]),
    ("what credentials does PCG offer", ("issued",), ["Organization"]),
    ("what does CRIA stand for", ("definition",), ["Certification"]),
    ("median hourly pay in Salem", ("pay",), ["Region"]),
    ("how fast will jobs grow", ("growth",), []),
    ("job openings per year", ("openings",), []),
    ("how many people are employed in Oregon", ("employment",), ["Region"]),
    ("how long is a certificate program", ("duration",), ["EducationProgram"]),
    ("what accreditation should a coding program have", ("requirement",), []),
    ("worst paying area in Oregon", ("pay_rank", "pay"), ["Region"]),
    ("which metro employs the most coders", ("employment_rank", "employment"), []),
    ("pizza recipe with mozzarella", (), []),
])
def test_what_a_question_asks(question, kinds, kind_named):
    from search.question import Named

    named = [Named(f"id:{k}", k, k, k, k) for k in kind_named]
    assert answers_wanted(question, named).kinds == kinds


def test_period_measure_and_extreme():
    region = [__import__("search.question", fromlist=["Named"]).Named("id:r", "Region", "R", "R", "R")]
    wanted = answers_wanted("lowest hourly wage in Salem", region)
    assert wanted.period == "Hour" and wanted.measure == "low" and wanted.extreme is None
    assert answers_wanted("yearly salary in Salem", region).period == "Year"
    assert answers_wanted("90th percentile pay in Salem", region).measure == "percentile90"
    ranked = answers_wanted("which area pays the least per hour", [])
    assert ranked.extreme == "min" and ranked.kinds[0] == "pay_rank" and ranked.places == "local"
