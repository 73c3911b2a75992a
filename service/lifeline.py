"""Processes of the server that end with their parent, so that no orphan keeps serving old data.

A server process killed outright (`kill -9`, the OOM killer, a crashed supervisor) runs no clean-up:
its worker processes would live on with parent 1, still listening on the port and answering from the
data they loaded. Two ways to tie a child to its parent:

- `die_with_parent` (Linux): the kernel sends SIGKILL to this process when its parent ends
  (prctl PR_SET_PDEATHSIG). The kernel means the *thread* that started the child, so this is only
  for children started by a thread that lives as long as its process (granian forks its workers
  from its main thread).
- `watch_parent`: a thread that looks every half second whether the parent is still the one that
  started us (pyoxigraph releases the GIL while it evaluates, so the watch runs during a long query).
  For children started by any thread (the SPARQL query workers), and where prctl is not available.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1          # linux/prctl.h
WATCH_INTERVAL = 0.5          # seconds between two looks at the parent


def die_with_parent(parent_pid: int) -> str:
    """End this process (SIGKILL) when `parent_pid`, the process that started it, ends. Returns how."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                _exit_if_orphaned(parent_pid)    # the parent may have ended before the prctl
                return "pdeathsig"
        except (OSError, AttributeError):
            pass
    watch_parent(parent_pid)
    return "watch"


def watch_parent(parent_pid: int, interval: float = WATCH_INTERVAL) -> threading.Thread:
    """A daemon thread that kills this process once `parent_pid` is no longer its parent."""
    _exit_if_orphaned(parent_pid)

    def watch() -> None:
        while True:
            time.sleep(interval)
            _exit_if_orphaned(parent_pid)

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread


def _exit_if_orphaned(parent_pid: int) -> None:
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGKILL)
