from decimal import Decimal

import pytest
from helpers import analyse


def durations(text):
    return {(d.program.key, d.min_months, d.max_months) for d in analyse(text).durations}


@pytest.mark.parametrize("text, expected", [
    ("Programs\nCertificate programs typically take less than a year to complete, while an Associate of Applied "
     "Science degree can take as long as two years.\n",
     {("certificate-program", None, Decimal(12)), ("associate-of-applied-science", None, Decimal(24))}),
    ("Programs\nDiploma or certificate programs can be completed in 12 months or less.\n",
     {("diploma-program", None, Decimal(12)), ("certificate-program", None, Decimal(12))}),
    ("Degrees\nYou can earn a two-year associate degree or a four-year bachelor's degree.\n",
     {("associate-degree", Decimal(24), Decimal(24)), ("bachelors-degree", Decimal(48), Decimal(48))}),
    ("Training\nTraining programs typically last between 6 months and 2 years.\n",
     {("training-program", Decimal(6), Decimal(24))}),
    ("Enrolling\nA certificate program requires applicants to be at least 18 years old.\n", set()),
    # a range over a choice of programs belongs to none of them alone (the seed document glues "acertificate")
    ("Training\nMost aspiring specialists enroll in acertificate or associate degree program in medical billing and "
     "coding, which can typically be completed in6 months to 2 years.\n", set()),
    ("Training\nMost students enroll in a certificate or associate degree program, which can typically be completed "
     "in 6 months to 2 years.\n", set()),
    ("Training\nAn associate degree or a vocational program can be completed in 6 months to 2 years.\n", set()),
    ("Training\nAn associate degree program can be completed in 18 months to 2 years.\n",
     {("associate-degree", Decimal(18), Decimal(24))}),
])
def test_program_durations(text, expected):
    assert durations(text) == expected


def test_durations_reach_the_graph(dataset, union_graph):
    from kg.namespaces import MBC, entity_iri

    certificate = entity_iri("EducationProgram", "certificate-program")
    assert {int(v) for v in union_graph.objects(certificate, MBC.maxMonths)} == {12}
    # "a certificate or associate degree program ... 6 months to 2 years" is not the associate degree's length
    associate = entity_iri("EducationProgram", "associate-degree")
    assert 6 not in {int(v) for v in union_graph.objects(associate, MBC.minMonths)}
    assert {int(v) for v in union_graph.objects(associate, MBC.maxMonths)} == {24}
