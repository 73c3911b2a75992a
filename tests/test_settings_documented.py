"""Every setting of the service (a field of service.Config, read from MBC_<NAME>) has a line in a
README table, and where the limits table gives its default, that default is the code's."""
import re
from dataclasses import MISSING, fields
from pathlib import Path

from service import Config

README = Path(__file__).resolve().parent.parent / "README.md"


def table_rows() -> list[list[str]]:
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and not line.startswith("| ---"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_every_config_field_has_a_readme_table_line():
    documented = {name for row in table_rows() for cell in row for name in re.findall(r"MBC_[A-Z0-9_]+", cell)}
    missing = [f"MBC_{spec.name.upper()}" for spec in fields(Config) if f"MBC_{spec.name.upper()}" not in documented]
    assert not missing, f"settings with no line in a README table: {missing}"


def test_the_limits_tables_defaults_are_the_codes():
    defaults = {f"MBC_{spec.name.upper()}": spec.default for spec in fields(Config) if spec.default is not MISSING}
    compared = 0
    for row in table_rows():
        if len(row) < 3:
            continue
        names = re.findall(r"MBC_[A-Z0-9_]+", row[0])
        values = [value.strip().strip("`") for value in row[1].split(" / ")]
        if len(names) != len(values):
            continue
        for name, value in zip(names, values):
            default = defaults.get(name)
            if isinstance(default, bool):
                assert value == str(default).lower(), (name, value, default)
            elif isinstance(default, (int, float)):
                assert float(value.replace(",", "")) == default, (name, value, default)
                compared += 1
    assert compared >= 15
