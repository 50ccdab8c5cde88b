"""Global options anywhere on the command line: `pakru check --data DIR` as `pakru --data DIR check`.

click reads pakru's own options (--data, --no-cache, --debug) only before the command, and a
command's --json only after it. hoist() moves each to where click reads it, before parsing, so
that both orders work as people expect from git or gh. It knows which options take a value, so
that a value is never taken for an option or a command (`--topic --json` keeps "--json" as the
topic), and it leaves everything after `--` alone. tests/test_conventions.py holds VALUE_OPTIONS
to the options the commands really declare.
"""

from __future__ import annotations

GLOBAL_FLAGS = ("--no-cache", "--debug", "--no-pager")
GLOBAL_VALUED = ("--data",)
COMMAND_FLAGS = ("--json",)  # an option of every command, also accepted before it
# Every option of a command that takes a value (its next argument is that value).
VALUE_OPTIONS = frozenset(
    {"--topic", "-t", "--source", "-s", "--from", "--to", "--kind", "-k", "--event", "-e"}
    | {"--by", "--limit", "-n", "--data"}
    | {"--output", "-o", "--format", "-f", "--style"}  # export, cite
)


def hoist(args: list[str], commands: set[str]) -> list[str]:
    """The arguments with global options before the command and --json after it.

    Arguments that name no known command (a typo, --help alone) are returned unchanged, so that
    click's own messages still apply to them.
    """
    head: list[str] = []  # the global options, in the order given
    i, n = 0, len(args)
    command_at = None
    pending_json = False
    while i < n:  # before the command: global options, and --json for the command
        arg = args[i]
        if arg in GLOBAL_FLAGS or arg.startswith("--data="):
            head.append(arg)
        elif arg in GLOBAL_VALUED:
            head.extend(args[i : i + 2])
            i += 1
        elif arg in COMMAND_FLAGS:
            pending_json = True
        elif arg in commands:
            command_at = i
            break
        else:
            return args  # --help, --version, an unknown option or command: as given
        i += 1
    if command_at is None:
        return args
    rest: list[str] = []
    i = command_at + 1
    while i < n:
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in GLOBAL_FLAGS or arg.startswith("--data="):
            head.append(arg)
        elif arg in GLOBAL_VALUED and i + 1 < n:
            head.extend(args[i : i + 2])
            i += 1
        elif arg in VALUE_OPTIONS and i + 1 < n:
            rest.extend(args[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    if pending_json and "--json" not in rest:
        rest.insert(0, "--json")
    return [*head, args[command_at], *rest]
