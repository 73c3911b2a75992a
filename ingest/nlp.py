"""The spaCy pipeline: a blank English tokenizer with an EntityRuler built from the vocabulary.

No statistical model is loaded (none ships offline, and rules a reader can follow are the
point); the ruler recognises the vocabulary's names and acronyms, and the Matcher patterns
in ingest.entities and ingest.relations do the rest.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Token

from kg.vocabulary import Vocabulary

# Kinds found by the vocabulary ruler. Roles are found by the role matcher instead, so that
# "medical coders and billers" is read as one phrase.
RULER_CLASSES = ("Certification", "Organization", "CodeSet", "Regulation", "State", "Country", "EducationProgram")

if not Token.has_extension("rel"):
    # The relation patterns match on this tag: CERT, ORG, BY, FROM, ... (see ingest.relations).
    Token.set_extension("rel", default="")


def _plural(name: str) -> str | None:
    last = name.split()[-1]
    if not last[-1:].isalpha() or last.endswith("s"):
        return None
    if last.endswith("y") and not last.endswith(("ay", "ey", "oy")):
        return name[:-1] + "ies"
    return name + "s"


def vocabulary_patterns(nlp: Language, vocabulary: Vocabulary) -> list[dict]:
    patterns: list[dict] = []
    for concept in vocabulary.of_class(*RULER_CLASSES):
        for name in concept.names:
            if not any(ch.islower() for ch in name):
                # "US", "USA", "O*NET": case matters ("us" is a pronoun), so match the exact tokens
                patterns.append({"label": concept.entity_class, "id": concept.key,
                                 "pattern": [{"ORTH": t.text} for t in nlp.make_doc(name)]})
                continue
            variants = {name, _plural(name)} - {None}
            for variant in variants:
                if concept.entity_class in ("State", "Country") and variant != name:
                    continue
                patterns.append({"label": concept.entity_class, "pattern": variant, "id": concept.key})
        if concept.acronym:
            tokens = [t.text for t in nlp.make_doc(concept.acronym)]
            patterns.append({"label": concept.entity_class, "id": concept.key,
                             "pattern": [{"ORTH": t} for t in tokens]})
            plural = tokens[:-1] + [tokens[-1] + "s"]
            patterns.append({"label": concept.entity_class, "id": concept.key,
                             "pattern": [{"ORTH": t} for t in plural]})
    return patterns


@lru_cache(maxsize=4)
def pipeline(vocabulary: Vocabulary) -> Language:
    """A blank English pipeline whose entity ruler knows the vocabulary's names (built once per vocabulary)."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns(vocabulary_patterns(nlp, vocabulary))
    return nlp
