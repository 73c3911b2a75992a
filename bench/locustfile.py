"""Load for `python -m bench.load_bench`: search questions and SPARQL example queries."""
import json
import random
from pathlib import Path

from locust import HttpUser, constant, task

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [q["q"] for q in json.loads((ROOT / "tests" / "search" / "dev_set.json").read_text())["questions"]]


def _examples():
    import sys

    sys.path.insert(0, str(ROOT))
    from service.sparql_examples import EXAMPLES

    return [e["query"] for e in EXAMPLES]


QUERIES = _examples()


class SearchUser(HttpUser):
    wait_time = constant(0)
    weight = 1

    @task
    def search(self):
        self.client.get("/api/search", params={"q": random.choice(QUESTIONS), "k": 10}, name="/api/search")


class SparqlUser(HttpUser):
    wait_time = constant(0)
    weight = 1

    @task
    def sparql(self):
        self.client.post("/sparql", data={"query": random.choice(QUERIES)}, name="/sparql")
