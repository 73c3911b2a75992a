"""No network for the processes that run SPARQL queries.

A SPARQL query can ask the engine to contact another server (`SERVICE <iri>`), and pyoxigraph
does so over HTTP. Spotting SERVICE in the query text is not enough (comments ending in a
carriage return, IRIs built by BASE/PREFIX, variables bound at run time all slipped past a
pattern), so egress is refused by construction instead: before a query worker reads its first
job it installs a seccomp filter that makes every attempt to create a socket fail with ENONET
("machine is not on the network"). No socket, no connection, no DNS lookup, whatever the query.
The worker keeps the pipe to its server process, which was opened before the filter.

ENONET is never raised by reading the store, so a query that fails with it tried to reach the
network: the endpoint answers that SERVICE is disabled.
"""
from __future__ import annotations

import errno

DENIED_ERRNO = errno.ENONET
DENIED_MARKER = f"os error {DENIED_ERRNO}"     # how pyoxigraph's HTTP client reports the refusal
# socket(2) and socketpair(2) make sockets; io_uring can open and connect sockets without them.
_DENIED_CALLS = ("socket", "socketpair", "io_uring_setup")


class SandboxUnavailable(RuntimeError):
    """The filter could not be installed (no libseccomp, or a kernel without seccomp)."""


def forbid_network() -> None:
    """Make this process (and any child it starts) unable to open a socket. Irreversible."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as error:   # pyseccomp loads libseccomp.so.2 with ctypes
        raise SandboxUnavailable(f"libseccomp is not available ({error}); install the libseccomp2 package") from None
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for call in _DENIED_CALLS:
            try:
                rules.add_rule(seccomp.ERRNO(DENIED_ERRNO), call)
            except (RuntimeError, OSError, ValueError):
                if call != "io_uring_setup":   # absent on old kernels and libseccomp: nothing to deny
                    raise
        rules.load()
    except (RuntimeError, OSError, ValueError) as error:
        raise SandboxUnavailable(f"the seccomp filter could not be installed ({error})") from None


# A host name (not an address) fails earlier, in the resolver: getaddrinfo cannot open its DNS socket
# and reports a resolution failure instead of the socket's errno. In a sandboxed worker every lookup
# fails so, and only a SERVICE call looks a name up, so that message is a refusal too.
_LOOKUP_FAILED = "failed to lookup address information"


def is_network_refusal(message: str) -> bool:
    """True when an error message reports a socket (or a name lookup) the sandbox refused."""
    return DENIED_MARKER in message or _LOOKUP_FAILED in message
