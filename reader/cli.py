"""The command line: `paper-reader [source]` opens the reader, `paper-reader export` writes a list,
`paper-reader serve` runs the reader in browser tabs.

Every expected failure (a bad date, an unreadable file, an unusable data dir) is one line on
stderr and exit status 2; a traceback is never the interface.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from reader import __version__
from reader.model import ReaderError
from reader.session import Listing, Request, load
from reader.sources import Period
from reader.library import Store, default_data_dir
from reader.settings import ConfigError, Settings, load_settings

FORMATS = ("json", "markdown", "bibtex", "csv")
EXPORT_FILTERS = ("bookmarked", "read", "unread", "new")


def _live_source():  # type: ignore[no-untyped-def]
    """The network client, imported only when a list is fetched (httpx is slow to import)."""
    from reader.sources import LiveSource

    return LiveSource()


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, with exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _period_of(kind: str):  # type: ignore[no-untyped-def]
    """An argparse type: the option's text as a ``Period`` of ``kind``, or argparse's
    one-line error (exit 2) when it is not one (a bad date, an empty search)."""

    def period(text: str) -> Period:
        try:
            return Period(kind, text)  # type: ignore[arg-type]
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return period


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--date", type=_period_of("day"), metavar="YYYY-MM-DD", help="a day's papers")
    group.add_argument("--week", type=_period_of("week"), metavar="YYYY-Www", help="a week's papers")
    group.add_argument("--month", type=_period_of("month"), metavar="YYYY-MM", help="a month's papers")
    group.add_argument("--trending", action="store_const", const=Period("trending"), help="trending papers")
    group.add_argument("--search", type=_period_of("search"), metavar="QUERY", help="Hugging Face paper search")
    group.add_argument("--file", type=Path, metavar="PAGE", help="a saved page: HTML, text dump or API JSON")
    group.add_argument("--sample", action="store_true", help="the bundled sample, never the network")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never the network: the local library (with a period: the saved copy of that list)",
    )
    parser.add_argument(
        "--data-dir",
        type=lambda text: Path(text).expanduser(),
        metavar="DIR",
        help="where state and library live (default: $PAPER_READER_DATA_DIR or the user data dir)",
    )
    parser.add_argument(
        "--config",
        type=lambda text: Path(text).expanduser(),
        metavar="FILE",
        help="the settings file (default: config.toml in the user config dir)",
    )


def build_parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    reader = _Parser(
        prog="paper-reader",
        description="A keyboard-driven terminal reader for Hugging Face papers.",
        epilog="`paper-reader export --help` and `paper-reader serve --help` for the other commands.",
    )
    _add_source_options(reader)
    reader.add_argument("--version", action="version", version=f"paper-reader {__version__}")
    reader.add_argument("--print-config", action="store_true", help="print the settings in force, as TOML, and exit")
    export = _Parser(prog="paper-reader export", description="Write papers and their marks to a file.")
    _add_source_options(export)
    which = export.add_mutually_exclusive_group()
    for name in EXPORT_FILTERS:
        which.add_argument(f"--{name}", dest="which", action="store_const", const=name, help=f"only {name} papers")
    export.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    return reader, export


def _port(text: str) -> int:
    """An argparse type: a TCP port number."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def build_serve_parser() -> argparse.ArgumentParser:
    serve = _Parser(
        prog="paper-reader serve",
        description="The reader in a browser tab: each tab runs its own reader on this machine, "
        "over the same library and marks. Needs the serve extra: pip install 'paper-reader[serve]'.",
    )
    _add_source_options(serve)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    return serve


def _period(args: argparse.Namespace) -> Period | None:
    """The one period option given (they exclude each other), already checked by argparse."""
    return args.date or args.week or args.month or args.trending or args.search


def request_for(args: argparse.Namespace, *, default: str) -> Request:
    """What list the options ask for; ``default`` is the kind with no source option."""
    if args.file is not None:
        return Request("file", path=args.file)
    if args.sample:
        return Request("sample")
    period = _period(args)
    if period is not None:
        return Request("live", period=period)
    return Request("library" if args.offline else default)


_PERIOD_OPTIONS = {"day": "--date", "week": "--week", "month": "--month", "search": "--search"}


def source_argv(args: argparse.Namespace, data_dir: Path) -> list[str]:
    """The source options in ``args`` as reader arguments that parse back to the same list,
    with ``data_dir`` and any file made absolute (``--opt=value``: a value may start with -)."""
    argv: list[str] = []
    if args.file is not None:
        argv.append(f"--file={args.file.absolute()}")
    elif args.sample:
        argv.append("--sample")
    elif (period := _period(args)) is not None:
        argv.append("--trending" if period.kind == "trending" else f"{_PERIOD_OPTIONS[period.kind]}={period.value}")
    if args.offline:
        argv.append("--offline")
    argv.append(f"--data-dir={data_dir.absolute()}")
    return argv


def start_request(args: argparse.Namespace, start_view: str, today: date | None = None) -> Request:
    """The list to open: a source option (or ``--offline``) wins over the config's start view."""
    request = request_for(args, default="latest")
    if request.kind != "latest":
        return request
    day = today or date.today()
    views = {
        "library": Request("library"),
        "weekly": Request("live", Period.for_week(day)),
        "monthly": Request("live", Period.for_month(day)),
        "trending": Request("live", Period("trending")),
    }
    return views.get(start_view, request)


def read_settings(args: argparse.Namespace) -> Settings:
    """The settings in force. A broken ``--config FILE`` raises (one line, exit 2); a broken
    default file is one warning, and the reader starts on defaults."""
    if args.config is not None:
        return load_settings(args.config)
    try:
        return load_settings()
    except ConfigError as error:
        from reader.settings import default_config_path

        return Settings(default_config_path(), problems=[str(error)])


def _open_store(args: argparse.Namespace, settings: Settings | None = None) -> tuple[Store, list[str]]:
    folder = settings.sync_folder if settings is not None else None
    store = Store(_data_dir(args), sync_folder=folder)
    return store, store.open()


def _data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir or default_data_dir()


def _fail(message: str) -> int:
    print(f"paper-reader: error: {message}", file=sys.stderr)
    return 2


def run_export(argv: Sequence[str]) -> int:
    from reader.export import filter_papers, refuse_data_dir, render_parts, write_export

    _, parser = build_parsers()
    args = parser.parse_args(argv)
    try:
        if args.output is not None:
            refuse_data_dir(args.output, _data_dir(args))
        settings = read_settings(args)
        store, warnings = _open_store(args, settings)
    except ReaderError as error:
        return _fail(str(error))
    try:
        for warning in settings.problems:
            print(f"paper-reader: {warning}", file=sys.stderr)
        for warning in warnings:
            print(f"paper-reader: {warning}", file=sys.stderr)
        request = request_for(args, default="library")
        live = None if args.offline else _live_source()
        listing = load(request, store, live)
        if request.period is not None and listing.offline and listing.title != request.period.label:
            # The reader may show the library in place of a list it cannot get; an export
            # of that list must not quietly write something else.
            return _fail(f"{request.period.label}: no saved copy, and {listing.notice}")
        if listing.notice:
            print(f"paper-reader: {listing.notice}", file=sys.stderr)
        papers = filter_papers(listing.papers, store.mark, args.which)
        write_export(render_parts(papers, store.mark, args.format), args.output)
    except ReaderError as error:
        return _fail(str(error))
    except OSError as error:  # reading rather than writing: the writes say what failed
        return _fail(f"{error.filename or 'export'}: {error.strerror or error}")
    finally:
        for message in store.close():  # files found damaged while reading, unsaved marks
            print(f"paper-reader: {message}", file=sys.stderr)
    return 0


def run_serve(argv: Sequence[str]) -> int:
    """Check the source and the data dir once, then serve the reader until ctrl+c."""
    args = build_serve_parser().parse_args(argv)
    try:
        from reader.web import serve
    except ImportError:
        return _fail("serve needs textual-serve: pip install 'paper-reader[serve]'")
    from reader.web import exposure_warning, reader_command

    data_dir = args.data_dir or default_data_dir()
    store = Store(data_dir)
    try:
        for warning in store.open():
            print(f"paper-reader: {warning}", file=sys.stderr)
        if args.file is not None:
            from reader.sources import read_paper_file

            read_paper_file(args.file)  # a bad file fails here, not in every browser tab
    except ReaderError as error:
        return _fail(str(error))
    finally:
        store.close()
    if (warning := exposure_warning(args.host)) is not None:
        print(f"paper-reader: warning: {warning}", file=sys.stderr)
    command = reader_command(source_argv(args, data_dir))
    try:
        serve(command, args.host, args.port,
              announce=lambda url: print(f"paper-reader: serving on {url} (ctrl+c stops)", flush=True))
    except OSError as error:
        return _fail(f"cannot listen on {args.host} port {args.port}: {_socket_reason(error)}")
    return 0


def _socket_reason(error: OSError) -> str:
    """"Address already in use", not asyncio's sentence around it with the address again."""
    import socket

    if isinstance(error, socket.gaierror) or not error.errno:
        return error.strerror or str(error)
    return os.strerror(error.errno)


def make_app(argv: Sequence[str], *, today: date | None = None):  # type: ignore[no-untyped-def]
    """Parse ``argv`` and build the reader: the CLI and the tests share this factory.

    A ``--file`` is read here, so a bad file fails before the screen is drawn.
    """
    # Textual paints at most once per tick and, when a second widget's update arrives just
    # after a frame, waits up to two ticks: at its default 60 a tick that is 33 ms between
    # a keystroke and the list. 120 halves that; idle costs nothing (no dirty widget, no tick).
    os.environ.setdefault("TEXTUAL_FPS", "120")
    # Start-up allocates hundreds of thousands of objects that live as long as the app; the
    # collector would rescan them all several times (30-50 ms) before the first frame. The
    # screen switches it back on once the first frame is out.
    gc.disable()
    try:
        return _build_app(argv, today)
    except BaseException:
        gc.enable()
        raise


def _build_app(argv: Sequence[str], today: date | None):  # type: ignore[no-untyped-def]
    from reader.app import PaperReaderApp  # Textual is imported only when the UI is wanted
    from reader.library import load_first_screen, newest_first_screen

    reader, _ = build_parsers()
    args = reader.parse_args(argv)
    settings = read_settings(args)
    request = start_request(args, settings.start_view, today)
    store = Store(_data_dir(args), sync_folder=settings.sync_folder)
    # The library's first screen paints before the store opens: the one saved at exit when
    # it is still true, else the database's newest rows with their marks to follow.
    first = (load_first_screen(store) or newest_first_screen(store)) if request.kind == "library" else None
    warnings = store.open() if first is None else []
    live = None if args.offline or request.kind in ("sample", "file") else _live_source()
    initial: Listing | None = None
    if request.kind == "file":
        try:
            initial = load(request, store, None, today=today)
        except ReaderError:
            store.close()
            raise
    return PaperReaderApp(
        store, request, live, initial=initial, warnings=warnings, today=today, first=first, settings=settings
    )


def print_config(argv: Sequence[str]) -> int:
    """``--print-config``: the settings in force as TOML, every default filled in."""
    from reader.app import PaperReaderApp
    from reader.screens.keymap import binding_groups, check_keymap, default_keys
    from reader.settings import render_config

    reader, _ = build_parsers()
    args = reader.parse_args(argv)
    try:
        settings = read_settings(args)
    except ReaderError as error:
        return _fail(str(error))
    groups = binding_groups(PaperReaderApp.BINDINGS)
    settings.keys, problems = check_keymap(settings.keys, groups, settings.path.name)
    for problem in [*settings.problems, *problems]:
        print(f"paper-reader: {problem}", file=sys.stderr)
    sys.stdout.write(render_config(settings, default_keys(groups)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["export"]:
            return run_export(argv[1:])
        if "--print-config" in argv:
            return print_config(argv)
        if argv[:1] == ["serve"]:
            return run_serve(argv[1:])
        try:
            app = make_app(argv)
        except ReaderError as error:
            return _fail(str(error))
        app.run()
        for message in app.quit_messages:
            print(f"paper-reader: {message}", file=sys.stderr)
        if app.store.marks.unsaved:
            return 1
        return app.return_code or 0
    except KeyboardInterrupt:
        return 130
