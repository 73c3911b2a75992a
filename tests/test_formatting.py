"""One formatter for money and numbers: answers to questions and pages write a figure alike."""
import ast

from common.formatting import money, number, per_period, percent
from test_architecture import ROOT, python_files


def test_money_as_people_write_it():
    assert money("16.5", "Hour") == "$16.50"
    assert money("45240", "Year") == "$45,240"
    assert money("45240.6", "Year") == "$45,240.60"
    assert money("1000", "Hour") == "$1,000"
    assert money("20", None) == "$20"
    assert money("5", "Hour", "EUR") == "5.00 EUR"
    assert money("n/a", "Hour") == "n/a"
    assert per_period("Hour") == "an hour" and per_period(None) == ""


def test_numbers_and_percentages():
    assert number(45294) == "45,294" and number("16.5") == "16.5" and number("3", decimals=1) == "3.0"
    assert percent("7") == "7%" and percent("2.5") == "2.5%"


def test_only_one_module_formats_money():
    defining = [str(path.relative_to(ROOT)) for path in python_files("search", "service", "common", "kg")
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.FunctionDef) and node.name in ("money", "percent")]
    assert sorted(defining) == ["common/formatting.py", "common/formatting.py"]
