"""Retrieval quality on a question set: recall@5 and MRR@10 per ranking mode, answer accuracy, and
the calibration of "no results" on questions the corpus cannot answer.

A question set is a JSON file: {"questions": [{"q", "gold": [snippets], "answer": [strings] | null}]}
(or a bare list of such questions). A result is relevant when its passage text contains a gold
snippet. Sets written over other documents are scored only on the questions whose gold text the
index holds (`covered`), so a set can be run before all of its documents can be read.
"""
from __future__ import annotations

import json
from pathlib import Path

from search.engine import Fusion, Searcher

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "tests" / "search"


def load_questions(path: Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    questions = data["questions"] if isinstance(data, dict) else data
    return [q if isinstance(q, dict) else {"q": q, "gold": [], "answer": None} for q in questions]


def halves(questions: list[dict]) -> tuple[list[dict], list[dict]]:
    """The tuning half (even positions) and the held-back half (odd positions) of a question set.
    Ranking changes are judged on the tuning half; the held-back half is only reported."""
    return questions[0::2], questions[1::2]


def covered(searcher: Searcher, questions: list[dict]) -> list[dict]:
    """The questions whose gold text some passage of the index contains."""
    texts = [row["text"] for row in searcher.index.passages.values()]
    return [q for q in questions if any(snippet in text for snippet in q["gold"] for text in texts)]


def first_relevant_rank(results: list[dict], gold: list[str]) -> int | None:
    for rank, hit in enumerate(results, start=1):
        if any(snippet in hit["text"] for snippet in gold):
            return rank
    return None


def evaluate(searcher: Searcher, questions: list[dict], mode: str = "hybrid", fusion: Fusion | None = None,
             answer_floor: bool = False) -> dict:
    """recall@5 and MRR@10 (ranking alone unless `answer_floor`: then a question the search refuses
    as out of scope counts as a miss), and how many answers carry an expected string."""
    ranks, answered, expected, abstained, unanswerable = [], 0, 0, 0, 0
    for question in questions:
        response = searcher.search(question["q"], k=10, mode=mode, fusion=fusion, refuse=answer_floor)
        ranks.append(first_relevant_rank(response["results"], question["gold"]))
        if question.get("answer"):
            expected += 1
            answered += answer_right(response.get("answers", []), question["answer"])
        elif "answer" in question and question["answer"] is None and question["gold"]:
            # the documents hold no one-line answer to it: the right response gives none
            unanswerable += 1
            abstained += not response.get("answers")
    count = len(questions) or 1
    return {
        "questions": len(questions),
        "recall@5": sum(1 for r in ranks if r is not None and r <= 5) / count,
        "mrr@10": sum(1 / r for r in ranks if r is not None) / count,
        "answers_right": answered, "answers_expected": expected,
        "no_answer_right": abstained, "no_answer_expected": unanswerable,
        "misses@5": [q["q"] for q, r in zip(questions, ranks) if r is None or r > 5],
        "ranks": ranks,
    }


def answer_right(answers: list[dict], expected: list[str]) -> bool:
    """The first answer's text holds one of the expected strings (case aside)."""
    text = answers[0]["text"].lower() if answers else ""
    return bool(text) and any(s.lower() in text for s in expected)


def held_out_report(searcher: Searcher, path: Path) -> dict:
    """A question set written over other documents, scored whole (it was never tuned on): the
    questions whose gold text the index holds, and how many it does not (documents not ingested)."""
    questions = load_questions(path)
    scored = covered(searcher, questions)
    result = evaluate(searcher, scored)
    result["not_covered"] = [q["q"] for q in questions if q not in scored]
    return result


def refusals(searcher: Searcher, queries: list[str]) -> int:
    """How many of the queries get no results (the search judged nothing close enough)."""
    return sum(1 for q in queries if not searcher.search(q, k=10)["results"])


def calibration(searcher: Searcher, answerable: list[str], unanswerable: list[str],
                floors=(0.20, 0.225, 0.25, 0.275, 0.30, 0.35)) -> list[dict]:
    """For each candidate floor, how many questions of each set would get no results (best similarity
    below it, no entity of the corpus named, no answer): the table RELEVANCE_FLOOR was chosen from."""
    def similarities(queries):
        return [searcher.best_similarity(q) for q in queries]

    sure, unsure = similarities(answerable), similarities(unanswerable)
    return [{"floor": floor, "answerable_refused": sum(c < floor for c in sure),
             "unanswerable_refused": sum(c < floor for c in unsure)} for floor in floors]


def main(argv=None) -> int:
    """python -m search.evaluation [--data data] [--questions FILE ...] [--rankings]"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m search.evaluation")
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--questions", type=Path, nargs="*",
                        default=[QUESTIONS_DIR / "user_questions.json", QUESTIONS_DIR / "dev_set.json"])
    parser.add_argument("--unanswerable", type=Path, default=QUESTIONS_DIR / "unanswerable.json")
    parser.add_argument("--rankings", action="store_true", help="also lexical, dense and reciprocal-rank fusion")
    parser.add_argument("--misses", action="store_true", help="list the questions missed at 5")
    parser.add_argument("--calibrate", action="store_true", help="refusals at several relevance floors")
    parser.add_argument("--held-out", action="store_true",
                        help="score each --questions set whole, as held-out questions over --data (e.g. the shared "
                             "dev-eval questions over its documents): recall@5, MRR@10, answers, no-answers")
    args = parser.parse_args(argv)
    searcher = Searcher.open(args.data)
    if args.held_out:
        return print_held_out(searcher, args.questions, args.misses)
    rankings = [("hybrid, weighted (default)", "hybrid", None)]
    if args.rankings:
        rankings = [("lexical (FTS5 BM25)", "lexical", None), ("dense (embedding + faiss)", "dense", None),
                    ("hybrid, reciprocal rank", "hybrid", Fusion(method="rrf", dense=1, lexical=1, entity=1))
                    ] + rankings
    print(f"{'set':<44} {'n':>4} {'recall@5':>9} {'MRR@10':>8} {'answers':>9}")
    for path in args.questions:
        questions = covered(searcher, load_questions(path))
        tuning, held_back = halves(questions)
        for name, mode, fusion in rankings:
            for label, part in (("", questions), (" tuning half", tuning), (" held-back half", held_back)):
                if not part or (label and len(rankings) > 1 and mode != "hybrid"):
                    continue
                result = evaluate(searcher, part, mode, fusion)
                title = f"{path.stem}{label}" + (f" [{name}]" if len(rankings) > 1 else "")
                print(f"{title:<44} {result['questions']:>4} {result['recall@5']:>9.3f} {result['mrr@10']:>8.3f} "
                      f"{result['answers_right']:>4}/{result['answers_expected']:<4}")
                if args.misses and not label:
                    for question in result["misses@5"]:
                        print(f"    missed: {question}")
    if args.unanswerable and args.unanswerable.exists():
        queries = [q["q"] for q in load_questions(args.unanswerable)]
        print(f"no results for {refusals(searcher, queries)} of {len(queries)} unanswerable queries "
              f"({args.unanswerable.name})")
        answerable = []
        for path in args.questions:
            questions = covered(searcher, load_questions(path))
            answerable += [q["q"] for q in questions]
            print(f"no results for {refusals(searcher, [q['q'] for q in questions])} of {len(questions)} "
                  f"answerable questions ({path.name})")
        if args.calibrate:
            print(f"best similarity below the floor (of {len(answerable)} answerable, {len(queries)} unanswerable):")
            for row in calibration(searcher, answerable, queries):
                print(f"  floor {row['floor']:.3f}: answerable {row['answerable_refused']:>3}, "
                      f"unanswerable {row['unanswerable_refused']:>3}")
    return 0


def print_held_out(searcher: Searcher, paths: list[Path], misses: bool) -> int:
    print(f"{'set':<24} {'n':>4} {'recall@5':>9} {'MRR@10':>8} {'answers':>9} {'no answer':>10} {'not ingested':>13}")
    total = {"n": 0, "r5": 0.0, "rr": 0.0, "a": 0, "ae": 0, "na": 0, "nae": 0, "nc": 0}
    for path in paths:
        r = held_out_report(searcher, path)
        print(f"{path.stem:<24} {r['questions']:>4} {r['recall@5']:>9.3f} {r['mrr@10']:>8.3f} "
              f"{r['answers_right']:>4}/{r['answers_expected']:<4} {r['no_answer_right']:>5}/{r['no_answer_expected']:<4} "
              f"{len(r['not_covered']):>13}")
        for key, value in (("n", r["questions"]), ("r5", r["recall@5"] * r["questions"]),
                           ("rr", r["mrr@10"] * r["questions"]), ("a", r["answers_right"]),
                           ("ae", r["answers_expected"]), ("na", r["no_answer_right"]),
                           ("nae", r["no_answer_expected"]), ("nc", len(r["not_covered"]))):
            total[key] += value
        if misses:
            for question in r["misses@5"]:
                print(f"    missed: {question}")
    if len(paths) > 1 and total["n"]:
        n = total["n"]
        print(f"{'all':<24} {n:>4} {total['r5'] / n:>9.3f} {total['rr'] / n:>8.3f} {total['a']:>4}/{total['ae']:<4} "
              f"{total['na']:>5}/{total['nae']:<4} {total['nc']:>13}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
