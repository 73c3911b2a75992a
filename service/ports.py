"""One server per port: a second `mbc-kg serve` on a port in use stops at once and says who holds it.

Why this is needed: granian's worker processes each bind the port with SO_REUSEPORT, so the kernel
lets a second server of the same user bind it too and splits the connections between the two (seen:
30 requests answered 14 times from one data set and 16 times from another). So before starting,
`claim_port` binds the address without SO_REUSEPORT: that fails while anything listens there. It then
keeps, for the life of the server, a socket bound with SO_REUSEPORT alone and never listening: it
receives no connection, lets this server's own workers bind beside it, and makes the same check
fail for a second server in the seconds before the workers listen (they bind once their app is loaded).
"""
from __future__ import annotations

import errno
import socket


class PortUnavailable(Exception):
    """The address cannot be served on; the message says why, who holds it if known, and what to do."""


def claim_port(host: str, port: int) -> socket.socket:
    """Check that nothing listens on host:port, and hold it for this server (keep the returned socket)."""
    family, address = _address(host, port)
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        # SO_REUSEADDR: connections of a server stopped a moment ago (TIME_WAIT) do not block a restart
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    except OSError as error:
        raise _unavailable(host, port, error) from None
    finally:
        probe.close()
    guard = socket.socket(family, socket.SOCK_STREAM)
    guard.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        guard.bind(address)
    except OSError as error:
        guard.close()
        raise _unavailable(host, port, error) from None
    return guard


def _address(host: str, port: int):
    try:
        family, _, _, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                      flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        raise PortUnavailable(f"cannot serve on {host}:{port}: the host is not an address of this machine "
                              f"({error.strerror})") from None
    return family, address


def _unavailable(host: str, port: int, error: OSError) -> PortUnavailable:
    where = f"{host}:{port}"
    if error.errno == errno.EADDRINUSE:
        holder = port_holder(port)
        held = (f" by {holder}" if holder else
                " (nothing listens there yet, so its holder cannot be named: a server starting up, or another "
                "user's process)")
        return PortUnavailable(f"cannot serve on {where}: address already in use{held}; stop it or choose "
                               "another --port")
    if error.errno in (errno.EACCES, errno.EPERM):
        return PortUnavailable(f"cannot serve on {where}: permission denied (ports below 1024 need privileges); "
                               "choose a --port of 1024 or more")
    if error.errno == errno.EADDRNOTAVAIL:
        return PortUnavailable(f"cannot serve on {where}: {host} is not an address of this machine")
    return PortUnavailable(f"cannot serve on {where}: {error.strerror or error}")


def port_holder(port: int) -> str | None:
    """'process 123 (its command line)' for the process holding a TCP port, when this user may see it.

    A forked worker has its parent's command line: the topmost process with the same command line
    is named, the one to stop."""
    try:
        import psutil

        pids = {c.pid for c in psutil.net_connections(kind="tcp")
                if c.pid and c.laddr and c.laddr.port == port and not c.raddr}
        if not pids:
            return None
        process = psutil.Process(min(pids))
        command = process.cmdline()
        parent = process.parent()
        while parent is not None and parent.pid > 1 and parent.cmdline() == command:
            process, parent = parent, parent.parent()
        return f"process {process.pid} ({' '.join(command)[:200]})"
    except Exception:   # noqa: BLE001 - naming the holder is a courtesy: no permission, a race, no psutil
        return None
