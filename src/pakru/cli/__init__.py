"""The command line: parse arguments, call the core, hand results to a renderer.

cli/app.py holds the app, the global options and the one exit point; each command lives in the
module of its idea (app.COMMANDS). The app imports those modules the first time it is asked for
its commands, and a run that names a command imports only that command's module (app._app_for):
they import nothing heavy at their top either (each command imports what it needs when it runs).
"""

from pakru.cli.app import _app_for, _command_in, app, hoisted, main, run, state

__all__ = ["_app_for", "_command_in", "app", "hoisted", "main", "run", "state"]
