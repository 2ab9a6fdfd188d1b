"""The live source: Hugging Face's JSON API, with the HTML pages as a fallback.

Synchronous on purpose (httpx sync client): the UI calls it from a thread worker and the
``export`` command calls it directly. Every failure becomes a one-line ``FetchError``;
nothing here may hang: connect and read timeouts plus a deadline for the whole answer.
``close`` from any thread ends a request under way at once with ``Cancelled``: each GET
runs in a thread of its own that the caller stops waiting for (a blocked read or name
lookup cannot be interrupted, only abandoned).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import httpx

from reader import __version__
from reader.sources.answer_headers import error_text, known_encoding, rate_limit_reset, retry_after
from reader.sources.clean import clean_text
from reader.sources.inflate import ACCEPTED, BadEncoding, Inflater, TooLarge
from reader.model import Cancelled, FetchError, ParseError
from reader.model import Paper
from reader.sources.periods import Period

if TYPE_CHECKING:
    from reader.sources.artefacts import Artefacts

DEFAULT_BASE_URL = "https://huggingface.co"
BASE_URL_ENV = "PAPER_READER_BASE_URL"
PAGE_SIZE = 100  # the API's maximum for daily_papers
MAX_PAGES = 10
MAX_QUERY = 250  # the search API rejects longer queries
LATEST_DAYS_BACK = 7  # weekends and holidays have no daily list
DEADLINE_GRACE = 1.0  # seconds past the deadline before a silent request is abandoned

FULL_TEXT_BYTES = 8 * 1024 * 1024  # bodies run 45–120 K; a larger answer is no paper
_ARXIV_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,63}(?:/[A-Za-z0-9.\-]{1,32})?$")

_JSON = "application/json"
_HTML = "text/html,application/xhtml+xml"


@dataclass
class FetchResult:
    """A fetched list: the papers, the period actually shown, and where it came from."""

    papers: list[Paper]
    period: Period
    source_url: str


@dataclass
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str
    encoding: str


class _PageMayAnswer(Exception):
    """The API failed in a way the HTML page might not (404, 5xx, malformed answer)."""

    def __init__(self, error: FetchError):
        super().__init__(str(error))
        self.error = error


class LiveSource:
    """Fetches lists from Hugging Face (or ``PAPER_READER_BASE_URL``, e.g. a test server)."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        deadline: float = 30.0,
        max_bytes: int = 20 * 1024 * 1024,
        max_pages: int = MAX_PAGES,
        page_size: int = PAGE_SIZE,
    ) -> None:
        base = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        self.base_url = base.strip().rstrip("/")
        self.host, self._usable_base = _host_of(self.base_url)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_pages = max_pages
        self.page_size = page_size
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._waiting: set[threading.Event] = set()  # one per GET under way

    # -- public -------------------------------------------------------------------

    def fetch(self, period: Period) -> FetchResult:
        """The list for ``period``: from the API, else from the page when that can help."""
        try:
            papers, url = self._fetch_api(period)
        except _PageMayAnswer as failed:
            return self._fetch_page(period, failed.error)
        return FetchResult(papers, period, url)

    def fetch_latest_day(self, today: date, days_back: int = LATEST_DAYS_BACK) -> FetchResult:
        """Today's daily list, else the latest of the ``days_back`` days before it that has one.

        A 400 while walking back counts as "no list yet" (the server's today may lag ours);
        if no day has papers the result is today's (empty) list.
        """
        first: FetchResult | None = None
        refused: FetchError | None = None
        for back in range(days_back + 1):
            period = Period.for_day(today - timedelta(days=back))
            try:
                result = self.fetch(period)
            except FetchError as error:
                if error.status != 400:
                    raise
                refused = error
                continue
            if result.papers:
                return result
            first = first or result
        if first is None and refused is not None:
            raise refused
        assert first is not None
        return first

    def fetch_artefacts(self, arxiv_id: str) -> Artefacts | None:
        """The models, datasets and Spaces citing the paper (``/api/papers/{id}``); None
        when Hugging Face has not indexed it (404). A 429 is a ``FetchError`` whose
        ``retry_after`` says when the rate limit resets."""
        from reader.sources.artefacts import parse_artefacts

        answer = self._get(f"/api/papers/{_checked_id(arxiv_id)}", {}, _JSON)
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise self._status_error(answer, None)
        try:
            return parse_artefacts(json.loads(answer.body))
        except (ValueError, RecursionError):
            raise self._malformed("not JSON") from None
        except ParseError as error:
            raise self._malformed(str(error)) from None

    def fetch_full_text(self, arxiv_id: str) -> str | None:
        """Hugging Face's Markdown of the paper (``/papers/{id}.md``); None when it has none
        (404). Other failures are a one-line ``FetchError``, as for lists."""
        answer = self._get(f"/papers/{_checked_id(arxiv_id)}.md", {}, "text/markdown,text/plain")
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise self._status_error(answer, None)
        if len(answer.body) > FULL_TEXT_BYTES:
            raise FetchError(f"the full text from {self.host} is larger than "
                             f"{FULL_TEXT_BYTES // (1024 * 1024)} MB")
        return answer.body.decode(answer.encoding, errors="replace")

    def close(self) -> None:
        """Stop for good, from any thread: a GET under way and every later one raise
        ``Cancelled`` at once, so no next page, fallback or earlier day is asked for."""
        with self._lock:
            self._closed = True
            client, self._client = self._client, None
            waiting = list(self._waiting)
        for done in waiting:
            done.set()
        if client is not None:
            client.close()

    def __enter__(self) -> LiveSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the API --------------------------------------------------------------------

    def _fetch_api(self, period: Period) -> tuple[list[Paper], str]:
        if period.kind == "search":
            params = {"q": period.value[:MAX_QUERY], "limit": str(self.page_size)}
            answer = self._get_api("/api/papers/search", params, period)
            return self._papers(answer)[0], answer.url
        if period.kind == "trending":
            params = {"sort": "trending", "limit": str(self.page_size)}
            answer = self._get_api("/api/daily_papers", params, period)
            return self._papers(answer)[0], answer.url
        key = {"day": "date", "week": "week", "month": "month"}[period.kind]
        papers: list[Paper] = []
        seen: set[str] = set()
        first_url = ""
        for page in range(self.max_pages):
            params = {key: period.value, "limit": str(self.page_size), "p": str(page)}
            try:
                answer = self._get_api("/api/daily_papers", params, period)
                found, items = self._papers(answer)
            except _PageMayAnswer as failed:
                if page == 0:
                    raise
                if failed.error.status == 404:  # past the last page
                    break
                raise failed.error from None
            except FetchError as error:
                if page > 0 and error.status == 400:  # past the last page
                    break
                raise
            first_url = first_url or answer.url
            fresh = [p for p in found if p.key not in seen]
            seen.update(p.key for p in fresh)
            papers.extend(fresh)
            if items < self.page_size or not fresh:  # a short page, or the server ignores p
                break
        return papers, first_url

    def _get_api(self, path: str, params: dict[str, str], period: Period) -> _Answer:
        answer = self._get(path, params, _JSON)
        if answer.status != 200:
            error = self._status_error(answer, period)
            if answer.status == 404 or answer.status >= 500:
                raise _PageMayAnswer(error)
            raise error
        return answer

    def _papers(self, answer: _Answer) -> tuple[list[Paper], int]:
        """The papers in an API answer and how many items it held (for paging)."""
        from reader.sources.parse_api import papers_from_api

        try:
            data = json.loads(answer.body)
        except (ValueError, RecursionError):
            raise _PageMayAnswer(self._malformed("not JSON")) from None
        try:
            papers = papers_from_api(data)
        except ParseError as error:
            raise _PageMayAnswer(self._malformed(str(error))) from None
        return papers, len(data) if isinstance(data, list) else 1

    # -- the HTML fallback ------------------------------------------------------------

    def _fetch_page(self, period: Period, api_error: FetchError) -> FetchResult:
        """The page that shows ``period``; if it fails too, the API's error is the one told."""
        from reader.sources.parse_html import parse_html

        path, params = _page_path(period)
        try:
            answer = self._get(path, params, _HTML)
        except FetchError:
            raise api_error from None
        if answer.status != 200:
            raise api_error
        try:
            page = parse_html(answer.body.decode(answer.encoding, errors="replace"))
        except ParseError:
            raise api_error from None
        return FetchResult(list(page.papers), _shown_period(period, page), answer.url)

    # -- HTTP -------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._closed:
                raise self._cancelled()
            if self._client is None:
                self._client = httpx.Client(
                    headers={"User-Agent": f"paper-reader/{__version__}"},
                    follow_redirects=True,
                    max_redirects=5,
                )
            return self._client

    def _get(self, path: str, params: dict[str, str], accept: str) -> _Answer:
        """``_get_now`` in a daemon thread, waited for until it ends, ``close`` is called or
        the deadline has long passed (a name lookup has no timeout of its own)."""
        done = threading.Event()
        outcome: list[_Answer | BaseException] = []

        def run() -> None:
            try:
                outcome.append(self._get_now(path, params, accept))
            except BaseException as error:  # handed to the waiting thread below
                outcome.append(error)
            finally:
                done.set()

        if not self._usable_base:
            raise self._bad_base()
        with self._lock:
            if self._closed:
                raise self._cancelled()
            self._waiting.add(done)
        try:
            threading.Thread(target=run, name="paper-reader GET", daemon=True).start()
            finished = done.wait(self.deadline + DEADLINE_GRACE)
        finally:
            with self._lock:
                self._waiting.discard(done)
        if self._closed:
            raise self._cancelled()
        if not finished or not outcome:
            raise self._deadline_passed()
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _get_now(self, path: str, params: dict[str, str], accept: str) -> _Answer:
        """One GET, read whole within the deadline and the size cap; transport errors raised."""
        url = self.base_url + path
        deadline = time.monotonic() + self.deadline
        read = min(self.read_timeout, self.deadline)
        timeout = httpx.Timeout(connect=min(self.connect_timeout, self.deadline), read=read,
                                write=read, pool=min(self.connect_timeout, self.deadline))
        try:
            headers = {"Accept": accept, "Accept-Encoding": ACCEPTED}
            with self._http().stream("GET", url, params=params, headers=headers,
                                     timeout=timeout) as response:
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise self._too_large()
                # Raw bytes, inflated here: httpx would inflate a whole chunk before the cap.
                inflater = Inflater(response.headers.get("content-encoding", ""), self.max_bytes)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise self._too_large()
                    if time.monotonic() > deadline:
                        raise self._deadline_passed()
                    chunks.append(inflater.feed(chunk))
                chunks.append(inflater.finish())
                if time.monotonic() > deadline:
                    raise self._deadline_passed()
                return _Answer(response.status_code, response.headers, b"".join(chunks),
                               str(response.url), known_encoding(response.charset_encoding))
        except TooLarge:
            raise self._too_large(" once decompressed") from None
        except BadEncoding as error:
            raise FetchError(f"cannot read the answer from {self.host}: {error}") from None
        except httpx.ConnectTimeout:
            raise FetchError(f"{self.host} timed out (no connection within "
                             f"{_secs(self.connect_timeout)} s)") from None
        except httpx.TimeoutException:
            raise FetchError(f"{self.host} timed out (no data for {_secs(read)} s)") from None
        except httpx.ConnectError as error:
            if "CERTIFICATE" in str(error).upper() or "SSL" in str(error).upper():
                raise FetchError(f"cannot make a secure (TLS) connection to {self.host}") from None
            raise FetchError(f"cannot reach {self.host} — offline?") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise self._bad_base() from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{self.host} redirected too many times") from None
        except httpx.ProxyError:
            raise FetchError(f"cannot reach {self.host} through the proxy") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise FetchError(f"connection to {self.host} closed before the answer was "
                             "complete") from None
        except httpx.HTTPError as error:  # decoding errors and the rare rest
            first_line = (str(error) or type(error).__name__).splitlines()[0]
            raise FetchError(f"cannot fetch from {self.host}: {first_line}") from None

    # -- messages ---------------------------------------------------------------------

    def _status_error(self, answer: _Answer, period: Period | None) -> FetchError:
        status = answer.status
        if status == 429:
            wait = rate_limit_reset(answer.headers.get("ratelimit"))
            if wait is None:
                wait = retry_after(answer.headers.get("retry-after"))
            when = f"retry in {math.ceil(wait)} s" if wait is not None else "retry later"
            return FetchError(f"rate limited by Hugging Face; {when}", status=429,
                              retry_after=wait)
        if status == 400:
            reason = error_text(answer.body)
            detail = f"HTTP 400: {reason}" if reason else "HTTP 400"
            if period is not None and period.kind in ("day", "week", "month"):
                return FetchError(f"Hugging Face has no list for {period.value} — a future "
                                  f"or invalid {period.kind}? ({detail})", status=400)
            return FetchError(f"Hugging Face refused the request ({detail})", status=400)
        if status == 404:
            return FetchError(f"Hugging Face has no such list (HTTP 404 for "
                              f"{urlsplit(answer.url).path})", status=404)
        if status in (401, 403):
            return FetchError(f"Hugging Face refused access (HTTP {status})", status=status)
        if status >= 500:
            return FetchError(f"Hugging Face is having trouble (HTTP {status}); try again later",
                              status=status)
        return FetchError(f"unexpected answer from Hugging Face (HTTP {status})", status=status)

    def _malformed(self, why: str) -> FetchError:
        return FetchError(f"malformed answer from {self.host} ({why.splitlines()[0] if why else '?'})")

    def _too_large(self, how: str = "") -> FetchError:
        return FetchError(f"answer from {self.host} is larger than "
                          f"{self.max_bytes // (1024 * 1024) or self.max_bytes} "
                          f"{'MB' if self.max_bytes >= 1024 * 1024 else 'bytes'}{how}")

    def _bad_base(self) -> FetchError:
        return FetchError(f"bad base URL {self.base_url!r} (check {BASE_URL_ENV})")

    def _cancelled(self) -> Cancelled:
        return Cancelled(f"the request to {self.host} was stopped")

    def _deadline_passed(self) -> FetchError:
        return FetchError(f"{self.host} timed out (the answer took over {_secs(self.deadline)} s)")


# -- helpers ------------------------------------------------------------------------------


def _host_of(base_url: str) -> tuple[str, bool]:
    """The host for messages, and whether ``base_url`` can be asked at all (an http(s) URL
    with a host and a valid port); an unusable one fails each request with "bad base URL"."""
    try:
        parts = urlsplit(base_url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return base_url, False
    return parts.netloc or base_url, usable


def _page_path(period: Period) -> tuple[str, dict[str, str]]:
    """The HTML page that shows the same list as the API call for ``period``."""
    if period.kind == "day":
        return f"/papers/date/{period.value}", {}
    if period.kind == "week":
        return f"/papers/week/{period.value}", {}
    if period.kind == "month":
        return f"/papers/month/{period.value}", {}
    if period.kind == "trending":
        return "/papers/trending", {}
    return "/papers", {"q": period.value[:MAX_QUERY]}


def _shown_period(asked: Period, page: Any) -> Period:
    """The period a page says it shows (it may redirect elsewhere), else the one asked for."""
    kind = getattr(page, "period_type", None)
    value = getattr(page, "date_string", None)
    if asked.steppable and kind in ("day", "week", "month") and isinstance(value, str):
        try:
            return Period(kind, value[:10] if kind == "day" else value)
        except ValueError:
            pass
    return asked


def _checked_id(arxiv_id: str) -> str:
    """``arxiv_id`` quoted for a path, once it is known to be an id and nothing else."""
    if not isinstance(arxiv_id, str) or not _ARXIV_ID.match(arxiv_id) or ".." in arxiv_id:
        raise FetchError(f"not an arXiv id: {clean_text(arxiv_id, limit=80)!r}")
    return quote(arxiv_id, safe="/")


def _secs(value: float) -> str:
    return f"{value:g}"
