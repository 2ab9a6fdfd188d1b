"""What an HTTP answer says besides its body: when a rate limit resets, the error text of
an API refusal, the charset. Shared by the live client's lists, details and full texts."""

from __future__ import annotations

import codecs
import json
import math
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from reader.sources.clean import clean_text

_RESET = re.compile(r"(?:^|;)\s*t\s*=\s*(\d{1,9})\s*(?:;|$)")


def rate_limit_reset(value: str | None) -> float | None:
    """The seconds until the limit resets, from ``RateLimit: "api";r=0;t=42``."""
    match = _RESET.search(value or "")
    return float(match.group(1)) if match else None


def retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def error_text(body: bytes) -> str:
    """The ``{"error": ...}`` text of an API error, on one short line."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    text = data.get("error") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return ""
    return clean_text(text, limit=120)  # the server's words reach the terminal: no escapes


def known_encoding(name: str | None) -> str:
    """The page's charset when Python knows it; UTF-8 for none or one it does not."""
    try:
        return codecs.lookup(name).name if name else "utf-8"
    except LookupError:
        return "utf-8"
