"""Whether a credential is required to work: "certification is not mandatory in all states", "this is not an
official state requirement", "In the State of California, you'll be legally required to pass one of the
nationally-administered tests for certification".

One statement per sentence (unit), required or not, about certification in general (a certification, a
licence, the exam), in the one place the sentence names (else in general). A sentence says so only with a
credential word in it; an employer's preference ("many employers prefer certified coders"), keeping a
credential ("required to keep their certifications active", "do not need to renew it"), training ("the
required training") and what it takes to earn one ("must pass the exam to earn the CPC") are not a
requirement to work. The negative readings are tried first, since each holds a positive word
("not mandatory"). Pure: text in, records out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.confidence import REQUIREMENTS
from ingest.entities import Mention

CREDENTIAL = r"(?:certif\w*|credential\w*|licen[cs]\w*|exams?|examinations?)"
_CREDENTIAL = re.compile(r"\b" + CREDENTIAL, re.IGNORECASE)
_NEEDED = r"(?:mandatory|required|necessary|needed|compulsory|a (?:legal |state )?requirement)"
NOT_REQUIRED = [re.compile(pattern, re.IGNORECASE) for pattern in (
    # "certification is not mandatory", "a license is not required", "certifications aren't necessary"
    r"\b" + CREDENTIAL + r"\s+(?:is|are|was)\s*(?:not|n't)\s+(?:\w+\s+){0,2}?" + _NEEDED + r"\b",
    r"\b" + CREDENTIAL + r"\s+(?:isn't|aren't)\s+(?:\w+\s+){0,2}?" + _NEEDED + r"\b",
    # "While this is not an official state requirement" (the sentence names the credential)
    r"\b(?:is|are)\s+not\s+an?\s+(?:official\s+|legal\s+)?(?:state\s+|federal\s+|legal\s+)?requirement\b",
    # "you do not need a certification", "does not require certification", "no license is required"
    r"\b(?:do|does|did)\s*(?:not|n't)\s+(?:need|require|have to (?:hold|have|get|be))\b[^.;]{0,40}?\b" + CREDENTIAL,
    r"\bno\s+(?:state\s+|legal\s+)?" + CREDENTIAL + r"\s+(?:is|are)\s+(?:required|needed|mandatory)\b",
    r"\b" + CREDENTIAL + r"\s+(?:is|are)\s+(?:optional|voluntary)\b",
    r"\bno\s+(?:state|legal|federal)\s+(?:requirement|law)\s+(?:to|that)\b",
)]
REQUIRED = [re.compile(pattern, re.IGNORECASE) for pattern in (
    # "you'll be legally required to pass one of the nationally-administered tests for ... certification"
    r"\b(?:legally|by\s+(?:state\s+)?law)\s+required\s+to\s+(?:pass|obtain|earn|hold|have|get|be\s+(?:certified|"
    r"licensed))\b",
    r"\brequired\s+(?:by\s+(?:state\s+)?law|in\s+order\s+to\s+work|to\s+work)\b",
    r"\b" + CREDENTIAL + r"\s+(?:is|are)\s+(?:legally\s+|also\s+)?(?:mandatory|required|compulsory)\b",
    r"\bmust\s+be\s+(?:certified|licensed)\b",
)]
# Keeping a credential is not getting one: "you do not need to renew your certification" says nothing
# about working without one.
RENEWAL = re.compile(r"\b(?:keep|maintain|renew|retain|re-?certif)\w*", re.IGNORECASE)
# Not a requirement to work: required training, what employers prefer, and what it takes to earn a
# credential ("candidates must pass the exam to earn the CPC").
NOT_TO_WORK = re.compile(r"\brequired\s+(?:training|courses?|hours?|"
                         r"continuing)\b|\bemployers?\s+(?:prefer|require|want|look)|\bto\s+(?:earn|obtain|receive|"
                         r"achieve|get)\s+(?:the|this|that|their|your|an?)?\s*(?:\w+\s+){0,3}?" + CREDENTIAL
                         + r"|\b(?:sit|qualify|eligible)\s+for\s+(?:the|an?)\s+", re.IGNORECASE)


@dataclass(eq=False)
class CredentialRequirement:
    required: bool
    region: Mention | None     # the one place the sentence names, if any
    unit: object
    extractor: str
    confidence: float


def find_credential_requirements(text: str, unit, regions: list[Mention]) -> list[CredentialRequirement]:
    """The statement one unit (its normalized text) makes about needing a credential to work, if any."""
    if not _CREDENTIAL.search(text) or RENEWAL.search(text):
        return []
    region = regions[0] if len({m.key for m in regions}) == 1 else None
    if any(pattern.search(text) for pattern in NOT_REQUIRED):
        return [CredentialRequirement(False, region, unit, "credential-not-required",
                                      REQUIREMENTS["credential-not-required"])]
    if NOT_TO_WORK.search(text):
        return []
    if any(pattern.search(text) for pattern in REQUIRED):
        return [CredentialRequirement(True, region, unit, "credential-required", REQUIREMENTS["credential-required"])]
    return []
