"""The UTC timestamps stored beside marks and saved lists."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_iso(ts: float, *, micro: bool = False) -> str:
    """``ts`` (epoch seconds) as ``2025-03-18T09:30:00Z``, with microseconds when ``micro``."""
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ"
    return datetime.fromtimestamp(ts, timezone.utc).strftime(fmt)
