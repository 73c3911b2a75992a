"""Where the tests find what they read: their own fixture corpus under tests/, never the user's
`corpus/` (adding a document there changes no test), and the optional shared material beside the
project (`../shared`, or $MBC_SHARED_DIR), which a clone from a public host does not have."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
# A copy of the four seed documents the project started from; the gold annotations
# (tests/gold/seed_gold.json) and the development questions are written against it.
SEED_CORPUS = TESTS / "fixtures" / "seed_corpus"
USER_CORPUS = ROOT / "corpus"      # what `make run` ingests: no test may read it
SHARED = Path(os.environ.get("MBC_SHARED_DIR", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip (with the reason) when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: it lies beside the project in ../shared (or $MBC_SHARED_DIR), "
                    "which a fresh clone does not have", allow_module_level=True)
    return path
