"""Occupation codes a document states: "Medical Records Specialists (SOC 29-2072)", "O*NET-SOC
29-2072.00", "SOC code: 29-2072". The code belongs to the role named in the same unit (the nearest
one), else to a role named in the same block or in the section's heading; with no role in reach it
is not asserted. Codes are never taken from the reference vocabulary: a claim quotes what states it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.confidence import OCCUPATIONS
from ingest.entities import Mention

# "SOC", "O*NET-SOC" or the classification's name, then the code within a few words of the same clause
SOC_CODE = re.compile(
    r"\b(?:O\*NET(?:-SOC)?|SOC|Standard Occupational Classification)\b[^\d.;]{0,60}?"
    r"(?P<code>\d{2}-\d{4})(?:\.\d{2})?\b")


@dataclass(eq=False)
class OccupationCode:
    role: Mention
    code: str                   # "29-2072"
    unit: object                # the unit that states it
    extractor: str
    confidence: float


def find_occupation_codes(text: str, unit, unit_start: int, roles_in_unit: list[Mention],
                          roles_nearby: list[Mention]) -> list[OccupationCode]:
    """Codes in one unit (normalized text `text` starting at normalized offset `unit_start`)."""
    found = []
    for match in SOC_CODE.finditer(text):
        if roles_in_unit:
            role = min(roles_in_unit, key=lambda m: abs(m.nstart - unit_start - match.start()))
            found.append(OccupationCode(role, match.group("code"), unit, "soc-code", OCCUPATIONS["soc-code"]))
        elif len({m.key for m in roles_nearby}) == 1:
            found.append(OccupationCode(roles_nearby[0], match.group("code"), unit, "soc-code-nearby-role",
                                        OCCUPATIONS["soc-code-nearby-role"]))
    return found
