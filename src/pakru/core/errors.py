"""The one error type pakru shows to users, and the problems it carries."""

from pakru.core.record import Record


def place(file: str, line: int | None, column: int | None) -> str:
    """FILE, FILE:LINE or FILE:LINE:COL: where an editor jumps to."""
    if line is None:
        return file
    return f"{file}:{line}" if column is None else f"{file}:{line}:{column}"


class Problem(Record):
    """One thing wrong with a dataset, at a place in a file."""

    file: str
    line: int | None
    column: int | None
    message: str
    context: str = ""  # "claim naseer-001", "source rizvi", ...
    field: str = ""

    def __str__(self) -> str:
        parts = [place(self.file, self.line, self.column)]
        if self.context:
            parts.append(self.context)
        if self.field:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return ": ".join(parts)


class PakruError(Exception):
    """An error meant for the user: the CLI prints it as one line per problem."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [str(self)]


class DatasetError(PakruError):
    """The dataset could not be read or is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class QueryError(PakruError):
    """The user asked for something that does not exist (a topic, a claim, a source)."""

    exit_code = 2


class OptionError(QueryError):
    """An option's value that no dataset could accept (--limit 0, --kind rumour): a usage
    error, which the CLI follows with where to look."""
