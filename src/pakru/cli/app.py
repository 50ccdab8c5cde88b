"""The Typer app and the one way a run goes: global options, the exit point, the output.

Every command runs through ``_run``, the one place that turns pakru's errors
into one line each on stderr and an exit code (a traceback only with --debug).
Exit codes: 0 ok, 1 invalid dataset or (search) no match, 2 usage error or unknown name,
130 interrupted, 141 output pipe closed, 70 internal error.

The commands live in the modules of their idea (COMMANDS); ``app`` registers them from there
the first time it is asked for them, and a run that names one imports only that one's module.
"""

# No `from __future__ import annotations` here: typer reads the commands' annotations with
# typing.get_type_hints, which must compile and evaluate each one when it is a string (~1.5 ms
# of every run). Names imported only for type checking are quoted instead.
import copy
import errno
import functools
import importlib
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from pakru import __version__
from pakru.core.errors import DatasetError, OptionError, PakruError

if TYPE_CHECKING:
    from pakru.store.open import Store

from typer import Abort, Exit
from typer._click.exceptions import ClickException  # typer 0.28 vendors click (see pyproject)
from typer.models import CommandInfo, TyperInfo

F = TypeVar("F", bound=Callable[..., Any])
EXIT_INTERRUPTED, EXIT_PIPE, EXIT_INTERNAL = 130, 141, 70

EXAMPLES = (
    'pakru search "Gwadr port"',
    "pakru timeline --topic defence --from 2014",
    "pakru compare --topic india",
    "pakru compare --kind prediction",
    "pakru events --conflicts",
    "pakru show karim-020",
)
# typer's help prints the epilog's lines as they are, and a blank line between paragraphs
EPILOG = "\n\n".join(
    [
        "\n".join(["Examples:", *(f"  {e}" for e in EXAMPLES)]),
        "Global options (--data, --no-cache, --debug, --no-pager) and --json may come before or after "
        "the command. The README (README.md in the source, or the project page) documents every "
        "command, the JSON shapes and the data format.",
    ]
)

# Each command, by the name of its function, and the module of pakru.cli that defines it, in the
# order the help lists them; then the groups of commands, by the name of their Typer there.
COMMANDS = {
    "search": "listing",
    "timeline": "listing",
    "compare": "listing",
    "events": "listing",
    "show": "claim",
    "export": "exports",
    "cite": "claim",
    "sources": "data",
    "topics": "data",
    "check": "data",
}
GROUPS = {"cache_app": "data"}


class _App(typer.Typer):
    """The Typer app, its commands imported from their modules when first asked for.

    typer (and a test's CliRunner) reads ``registered_commands`` to build the command line, and
    ``app.command()`` appends to it: either registers every command of COMMANDS and GROUPS first.
    A run that names a command never asks this app: main() builds one holding only that command
    (_app_for) and imports only its module, not the other three (~0.5 ms of every run).
    """

    _commands: list[CommandInfo]
    _groups: list[TyperInfo]
    _complete = False  # every command of COMMANDS and GROUPS registered

    @property
    def registered_commands(self) -> list[CommandInfo]:
        self._register_all()
        return self._commands

    @registered_commands.setter
    def registered_commands(self, commands: list[CommandInfo]) -> None:
        self._commands = commands

    @property
    def registered_groups(self) -> list[TyperInfo]:
        self._register_all()
        return self._groups

    @registered_groups.setter
    def registered_groups(self, groups: list[TyperInfo]) -> None:
        self._groups = groups

    def _register_all(self) -> None:
        if self._complete:
            return
        self._complete = True
        for name, module in COMMANDS.items():
            self.command()(getattr(importlib.import_module(f"pakru.cli.{module}"), name))
        for name, module in GROUPS.items():
            self.add_typer(getattr(importlib.import_module(f"pakru.cli.{module}"), name))

    def only(self, name: str) -> "typer.Typer":
        """A copy of the app with one command of COMMANDS, from its module alone."""
        one = copy.copy(self)
        one._complete = True
        one.registered_commands, one.registered_groups = [], []
        # --install-completion and --show-completion are options of the app, before any command:
        # a run that names a command cannot use them, and typer builds them on each run (~0.4 ms).
        one._add_completion = False
        one.command()(getattr(importlib.import_module(f"pakru.cli.{COMMANDS[name]}"), name))
        return one


app = _App(
    name="pakru",
    help="Dated, attributed, quote-checked claims on Pakistan–Russia relations from five opinion "
    "articles (2017–2022).",
    epilog=EPILOG,
    add_completion=True,  # --install-completion / --show-completion; ids complete lazily
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _State:
    """Global options, set by the callback for the command that follows."""

    data: str | None = None
    use_cache: bool = True
    debug: bool = False
    pager: bool = True
    # Held until the process ends, so that what a command decoded is not freed object by object
    # just before exiting: ~30 ms for a compare that decodes 22,000 claims of 100,000.
    loaded: "Store | None" = None


state = _State()


def _stderr(message: str) -> None:
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _stdout_closed() -> bool:
    """Flush stdout; True if its reader has gone (stdout is then silenced)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return True
    return False


# What a write to a full disk, a quota, a file size limit or a failing device raises: an OSError
# without a file name is a write to an open file, and every file pakru writes but stdout is
# written by code that reports its own errors (export -o, the cache).
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "ENXIO") if hasattr(errno, name)
)


def _is_output_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.filename is None and exc.errno in _OUTPUT_ERRNOS


def _stdout_failed(exc: BaseException) -> None:
    """Say that stdout could not be written, once; what is left unwritten is dropped."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    _stderr(f"pakru: error: cannot write the output: {reason}")
    _silence_stdout()


def _paragraphs(doc: str | None) -> str | None:
    """A docstring with each paragraph on one line, for the help to wrap at the terminal's width
    (rich keeps the source's line breaks, which broke lines raggedly)."""
    if not doc:
        return doc
    import inspect

    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


def _run(fn: F) -> F:
    """The single exit point for errors raised by a command."""

    fn.__doc__ = _paragraphs(fn.__doc__)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return _once_more_if_cache_damaged(fn, *args, **kwargs)
        except PakruError as exc:
            if state.debug:
                import traceback

                traceback.print_exc()
            for line in exc.lines():
                _stderr(line if isinstance(exc, DatasetError) else f"pakru: error: {line}")
            if isinstance(exc, OptionError):
                _stderr(f"Try '{_command_path()} --help'.")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_PIPE) from None
        except (Exit, Abort, ClickException):
            raise
        except Exception as exc:
            if state.debug:
                raise
            if _is_output_error(exc):
                _stdout_failed(exc)
                raise typer.Exit(1) from None
            _stderr(f"pakru: internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _command_path() -> str:
    """The command that is running ("pakru timeline"), for where to look."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    return ctx.command_path if ctx is not None else "pakru"


def _once_more_if_cache_damaged(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A cache found damaged mid-command is a miss: drop it and run the command again.

    Every command reads what it needs before it prints, so nothing is printed twice.
    """
    import sqlite3

    from pakru.store.rows import DamagedCache, StaleCache

    try:
        return fn(*args, **kwargs)
    except (DamagedCache, sqlite3.DatabaseError) as exc:
        store = state.loaded
        path = exc.path if isinstance(exc, DamagedCache) else None
        if path is None and store is not None and store.file is not None:
            path = str(store.file)
        if path is None:
            raise
        reason = exc.reason if isinstance(exc, DamagedCache) else str(exc)
        if not isinstance(exc, StaleCache):  # a source text edited since: an ordinary miss
            _stderr(f"pakru: warning: the cache {path} is damaged ({reason}); rebuilding it")
        if store is not None:
            store.conn.close()
        state.loaded = None
        try:
            os.unlink(path)
        except OSError:
            state.use_cache = False  # cannot remove it: do without
        return fn(*args, **kwargs)


def _version(value: bool) -> None:
    if value:
        print(f"pakru {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    data: str = typer.Option(
        None,
        "--data",
        metavar="PATH",
        envvar="PAKRU_DATA",
        show_envvar=True,
        help="A dataset to use instead of the shipped one: events.yaml or its folder.",
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Read and validate the YAML, bypassing the cache."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
    no_pager: bool = typer.Option(
        False, "--no-pager", help="Never page long terminal output (it goes through $PAGER or less)."
    ),
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Show pakru's version and exit."
    ),
) -> None:
    """Dated, attributed, quote-checked claims on Pakistan–Russia relations.

    Every claim carries its source's author, outlet, publication date and a verbatim quote that
    `pakru check` verifies. The shipped dataset's claims come from five opinion articles
    (2017–2022); --data gives your own.
    """
    state.data, state.use_cache, state.debug, state.pager = (
        data,
        not no_cache,
        debug or bool(os.environ.get("PAKRU_DEBUG")),
        not no_pager,
    )


def _load() -> "Store":
    from pakru.render.progress import Progress
    from pakru.store.open import open_store

    with Progress(_stderr) as progress:
        store = open_store(state.data, use_cache=state.use_cache, warn=_stderr, progress=progress.update)
    state.loaded = store
    return store


def _mode(as_json: bool) -> str:
    if as_json:
        return "json"
    if os.environ.get("FORCE_COLOR") or os.environ.get("PAKRU_TERMINAL") or sys.stdout.isatty():
        return "rich"
    return "plain"


def _emit(as_json: bool, view: str, *result: Any, notes: "list[str] | None" = None) -> None:
    """Hand a command's result to the renderer of the output: JSON, a terminal, or a pipe.

    Each renderer module has one function per view (render/plain.py: ``timeline``, ...);
    render/jsonout.py has ``timeline_doc``, ... giving the documented JSON shapes. ``notes`` say
    what the filters or the limit left out: after the view on a terminal, on stderr otherwise.
    """
    mode = _mode(as_json)
    if mode == "json":
        from pakru.render import jsonout

        jsonout.write(jsonout.document(view, *result))
    elif mode == "rich":
        from pakru.render import pager, rich_out

        with pager.paged(state.pager):
            getattr(rich_out, view)(*result)
            if notes:
                rich_out.notes(notes)
        return
    else:
        from pakru.render import plain

        getattr(plain, view)(*result)
    if notes:
        sys.stdout.flush()
        for note in notes:
            _stderr(note)


def _interrupted(_signum: int, _frame: Any) -> None:
    raise _Interrupted


class _Interrupted(BaseException):
    """Ctrl-C, kept apart from KeyboardInterrupt so that click does not print 'Aborted!'."""


def _command_in(args: list[str]) -> str | None:
    """The command the arguments name, after pakru's own options; None if they name none."""
    skip = False
    for arg in args:
        if skip or arg in ("--no-cache", "--debug", "--no-pager") or arg.startswith("--data="):
            skip = False
        elif arg == "--data":
            skip = True
        else:
            return None if arg.startswith("-") else arg
    return None


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command a run names, when it names one of COMMANDS.

    typer builds click's objects for every registered command on each run (~2 ms for seven),
    and a run needs one; nor need it import the modules of the others. Anything else (no
    command, --help, --version, a typo, the cache group) gets the full app, whose messages list
    every command. tests/test_cli.py holds the two to the same output.
    """
    name = _command_in(args)
    if name not in COMMANDS:
        return app
    return app.only(name)


def hoisted(args: list[str]) -> list[str]:
    """The arguments with global options moved before the command and --json after it."""
    from pakru.cli.argv import hoist

    names = set(COMMANDS)
    if app._complete:  # and any command registered on the app besides them
        names.update(c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands)
    return hoist(args, names)


def _usage_error(exc: ClickException, args: list[str]) -> None:
    """A usage error as pakru's other errors: what is wrong on one line, where to look on the next.

    click's parser gives no context with some errors (an option without its value): the
    command the arguments name is where to look then.
    """
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        where = ctx.command_path
    else:
        name = _command_in(args)
        where = f"pakru {name}" if name in COMMANDS else "pakru"
    _stderr(f"pakru: error: {exc.format_message()}")
    _stderr(f"Try '{where} --help'.")


def main(argv: list[str] | None = None) -> None:
    try:
        signal.signal(signal.SIGINT, _interrupted)
    except ValueError:  # not in the main thread
        pass
    try:
        args = sys.argv[1:] if argv is None else argv
        if args[:1] == ["help"]:  # `pakru help [COMMAND]`, as git and gh have it
            args = [*args[1:], "--help"]
        args = hoisted(args)
        code = _app_for(args)(args=args, prog_name="pakru", standalone_mode=False)
    except _Interrupted:
        _silence_stdout()
        sys.exit(EXIT_INTERRUPTED)
    except ClickException as exc:
        _usage_error(exc, args)
        sys.exit(exc.exit_code)
    except Abort:
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_PIPE)
    try:
        if _stdout_closed():
            sys.exit(EXIT_PIPE)
    except OSError as exc:  # what stayed buffered to the end, written now
        _stdout_failed(exc)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def run() -> NoReturn:
    """The console script and ``python -m pakru``: main(), then end the process at once.

    Once the answer is written and flushed nothing is left to do, yet the interpreter's
    teardown (freeing every module and object one by one) takes ~20 ms after typer's imports
    alone, as long as all of pakru's own work on the shipped dataset, and longer with a large
    dataset in memory. os._exit skips it. Nothing pakru leaves open needs it: files are
    written and closed by the commands, and no atexit handler is registered. Tests call
    main(), which exits the usual way.

    For the same reason the cyclic garbage collector is off: a run allocates many objects
    (22,000 claims read back for one compare at 100,000) and frees almost none before it
    ends, so each collection walks them all for nothing (~30% of such a run).
    """
    import gc

    gc.disable()
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        _stderr(str(code))
        code = 1
    try:
        if _stdout_closed():
            code = EXIT_PIPE
    except (OSError, ValueError):
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code or 0)
