"""Real servers on loopback ports: one server per port, workers that die with their server, and the
start-up lines that say where to go only once the service answers."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psutil
import pytest

from paths import TESTS
from serving import data_dir_with_graphs
from service.process import ROOT, ServerProcess, free_port, running_server, server_command
from service.startup import READY_MARK

pytestmark = pytest.mark.server

GRAPH_ONLY = {"MBC_LOAD_SEARCH": "false"}


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    graphs = {f"http://example.org/protocol/graph/{p.stem}": p for p in (TESTS / "fixtures" / "protocol").glob("*.nt")}
    return data_dir_with_graphs(tmp_path_factory.mktemp("lifecycle-data"), graphs, merge_default=True)


def second_server(data, port: int, timeout: float = 30) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(server_command(data, port), cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **GRAPH_ONLY})
    return result, time.monotonic() - started


def healthz(base: str) -> int | None:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


def test_a_second_server_on_a_used_port_stops_with_one_line_naming_the_holder(small_data, tmp_path):
    with running_server(small_data, env=GRAPH_ONLY, workers=2) as (base, first):
        port = int(base.rsplit(":", 1)[1])
        result, seconds = second_server(small_data, port)
        assert result.returncode == 1 and seconds < 15, (result.returncode, seconds, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "address already in use" in lines[0] and f"process {first.pid} " in lines[0], lines[0]
        assert "--port" in lines[0]                      # what to do about it
        listeners = [c for c in psutil.net_connections("tcp") if c.status == "LISTEN" and c.laddr.port == port]
        assert {psutil.Process(c.pid).ppid() for c in listeners} == {first.pid}     # nobody else joined
        assert healthz(base) == 200


def test_a_second_server_is_refused_while_the_first_is_still_loading(small_data):
    """The workers bind the port only once their app is loaded; the first server holds it before that."""
    port = free_port()
    first = ServerProcess(server_command(small_data, port, workers=2), env=GRAPH_ONLY)
    try:
        deadline = time.monotonic() + 60
        while not any("Starting granian" in line for line in first.lines):
            assert first.poll() is None and time.monotonic() < deadline, first.output()
            time.sleep(0.05)
        result, _ = second_server(small_data, port)
        assert result.returncode == 1 and "address already in use" in result.stderr, result.stderr
        first.wait_ready(120)
        assert healthz(f"http://127.0.0.1:{port}") == 200
    finally:
        first.stop()


def test_a_port_held_by_another_program_is_refused_and_the_program_named(small_data):
    port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        result, _ = second_server(small_data, port)
    assert result.returncode == 1, result.stderr
    assert f"address already in use by process {os.getpid()} " in result.stderr, result.stderr


def test_after_kill_9_of_the_server_no_worker_serves_on(graph_data_dir):
    """The whole process tree (server workers, their query workers) ends with the main process, so a
    restart never serves beside an orphan holding old data."""
    port = free_port()
    with running_server(graph_data_dir, workers=2, port=port) as (base, server):
        tree = psutil.Process(server.pid).children(recursive=True)
        assert len(tree) >= 4                      # two workers and their query workers at least
        assert healthz(base) == 200
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        _, alive = psutil.wait_procs(tree, timeout=5)
        assert not alive, [(p.pid, p.cmdline()) for p in alive]
        assert healthz(base) is None               # nothing answers on the port any more
        # and a new server starts on the same port at once
        with running_server(graph_data_dir, env=GRAPH_ONLY, port=port) as (again, _):
            assert healthz(again) == 200


def test_a_worker_whose_server_is_gone_before_it_starts_exits_at_once():
    """The window before PR_SET_PDEATHSIG is set: a parent that already ended is noticed."""
    code = ("import os; os.environ['MBC_SERVER_PID'] = '1'\n"
            "from service.lifeline import die_with_parent\n"
            "die_with_parent(int(os.environ['MBC_SERVER_PID']) + 999999)\n"
            "print('still running')")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == -signal.SIGKILL and "still running" not in result.stdout


def test_a_query_worker_ends_with_its_server_process_even_mid_query(tmp_path):
    """watch_parent (query workers are started by any thread, so no PR_SET_PDEATHSIG for them)."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import os, sys, time\\n"
        "from service.lifeline import watch_parent\\n"
        "watch_parent(os.getppid())\\n"
        "print(os.getpid(), flush=True)\\n"
        "time.sleep(600)'], stdout=subprocess.PIPE, text=True)\n"
        "print(child.stdout.readline().strip(), flush=True)\n"
        "time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        child = psutil.Process(int(parent.stdout.readline()))
        parent.kill()
        parent.wait()
        child.wait(timeout=5)       # psutil.TimeoutExpired if it outlived its parent
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_ready_lines_come_once_the_service_answers(small_data):
    port = free_port()
    server = ServerProcess(server_command(small_data, port, "--log-level", "warning"), env=GRAPH_ONLY)
    try:
        server.wait_ready(120)
        base = f"http://127.0.0.1:{port}"
        assert healthz(base) == 200
        output = server.output()
        assert f"{READY_MARK}: 0 documents" in output
        for page in ("/", "/sparql", "/docs"):
            assert f"{base}{page}\n" in output + "\n"
        assert "INFO" not in output                 # --log-level warning reached granian and the app
    finally:
        server.stop()


def test_without_data_the_ready_line_says_what_to_do(tmp_path):
    with running_server(tmp_path / "nothing", env=GRAPH_ONLY) as (base, server):
        assert healthz(base) == 503
        assert "has no data to serve" in server.output() and "mbc-kg ingest" in server.output()


def test_the_access_log_is_passed_through(small_data):
    with running_server(small_data, "--access-log", env=GRAPH_ONLY) as (base, server):
        assert '"GET /openapi.json' not in server.output()
        urllib.request.urlopen(base + "/openapi.json", timeout=5).read()
        deadline = time.monotonic() + 10
        while "/openapi.json" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert '"GET /openapi.json HTTP/1.1" 200' in server.output()
