"""Reading place names in hostile text (reported, not asserted): runs of capital letters, of capitalised
words, of hyphen-joined capitalised words, of "In Aa" and of names before "County", each at two sizes,
through the place patterns of ingest.places (PLACE_WITH_STATE alone, then every place reader of a
sentence). Time that grows with the size (not with its square) is the point: before the patterns were
bounded, 10 kB of 200-character "AAAA..." runs took about 9 s in PLACE_WITH_STATE alone and 38 s in
find_places_in_prose on a shared 2-core machine.

    python -m bench.places_bench [--sizes 10000,40000]
"""
from __future__ import annotations

import argparse
import json

from bench.common import RESULTS, machine, timed

SHAPES = {
    "capital-letter runs": lambda n: ("A" * 200 + " ") * (n // 201),
    "capitalised words": lambda n: "Aa " * (n // 3),
    "hyphen-joined words": lambda n: ("Ab-" * 66 + " ") * (n // 199),
    "'In Aa' repeated": lambda n: "In Aa " * (n // 6),
    "names before County": lambda n: ("Aa " * 60 + "County ") * (n // 187),
    "'on the Aa Bb of' repeated": lambda n: "on the Aa Bb Cc Dd of " * (n // 22),
}


def main(argv=None) -> dict:
    from ingest.places import PLACE_WITH_STATE, find_places_in_prose
    from kg.vocabulary import load_vocabulary

    parser = argparse.ArgumentParser(prog="python -m bench.places_bench")
    parser.add_argument("--sizes", default="10000,40000", help="comma-separated text sizes in characters")
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary()
    state = vocabulary.by_region_code["TX"]
    find_places_in_prose(vocabulary, "Coders in Austin and on Saipan", state)   # loads the gazetteers once
    results = []
    for name, make in SHAPES.items():
        for size in (int(s) for s in args.sizes.split(",")):
            text = make(size)
            _, alone = timed(lambda: list(PLACE_WITH_STATE.finditer(text)))
            _, every = timed(find_places_in_prose, vocabulary, text, state)
            results.append({"shape": name, "chars": len(text), "place_with_state_ms": round(alone, 1),
                            "find_places_in_prose_ms": round(every, 1)})
            print(f"{name:22s} {len(text):7d} chars  PLACE_WITH_STATE {alone:8.1f} ms  "
                  f"find_places_in_prose {every:8.1f} ms", flush=True)
    report = {"machine": machine(), "results": results}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "places.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
