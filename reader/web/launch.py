"""What ``paper-reader serve`` runs and says, apart from the server itself.

Each browser session is a reader process of its own, started through a shell by
textual-serve: this same Python and this same installed package, so a tab shows what
``paper-reader`` would in a terminal.
"""

from __future__ import annotations

import ipaddress
import shlex
import subprocess
import sys
from collections.abc import Sequence


def reader_command(reader_argv: Sequence[str]) -> str:
    """The shell command that starts this installed reader with ``reader_argv``, each
    argument quoted so a path or a search with spaces or quotes stays one argument."""
    argv = [sys.executable, "-m", "reader", *reader_argv]
    if sys.platform == "win32":
        return subprocess.list2cmdline(argv)
    return shlex.join(argv)


def is_loopback(host: str) -> bool:
    """True for a name or address that only this machine reaches: localhost, 127.0.0.0/8, ::1."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """The one line to print when the server listens beyond this machine, else None."""
    if is_loopback(host):
        return None
    return (f"listening on {host}: anyone who can reach this address can read and change "
            "your marks (the default, 127.0.0.1, is this machine only)")


def page_url(host: str, port: int) -> str:
    """The address to open in a browser; an IPv6 address goes in brackets."""
    name = host.strip("[]")
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}/"
