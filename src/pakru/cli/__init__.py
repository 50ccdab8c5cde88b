"""The command line: parse arguments, call the core, hand results to a renderer.

cli/app.py holds the app, the global options and the one exit point; each command lives in the
module of its idea. This module registers them on the app, in the order the help lists them.
Every command module is imported on each run, as when they were one file: they import nothing
heavy at their top (each command imports what it needs when it runs), and typer builds click's
objects only for the command a run names (app._app_for).
"""

from pakru.cli import claim, data, exports, listing
from pakru.cli.app import _app_for, _command_in, app, hoisted, main, run, state

__all__ = ["_app_for", "_command_in", "app", "hoisted", "main", "run", "state"]


def _register() -> None:
    """Every command on the app, in the order the help lists them."""
    for command in (
        listing.search,
        listing.timeline,
        listing.compare,
        listing.events,
        claim.show,
        exports.export,
        claim.cite,
        data.sources,
        data.topics,
        data.check,
    ):
        app.command()(command)
    app.add_typer(data.cache_app)


_register()
