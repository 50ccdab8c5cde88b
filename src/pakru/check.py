"""`pakru check`: validate a dataset from its files, never from the cache."""

import os
from typing import Any, NamedTuple

from pakru.errors import DatasetError, Problem
from pakru.model import Dataset


class Report(NamedTuple):
    path: str
    dataset: Dataset | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.problems

    def counts(self) -> dict[str, int]:
        d = self.dataset
        if d is None:
            return {}
        return {
            "sources": len(d.sources),
            "claims": len(d.claims),
            "events": len(d.events),
            "topics": len(d.topics),
            "actors": len(d.actors),
            "quotes": len(d.claims) + len(d.sources),
        }

    def summary(self) -> str:
        c = self.counts()
        return (
            f"OK {self.path}: {c['sources']} sources, {c['claims']} claims, {c['events']} events, "
            f"{c['topics']} topics, {c['actors']} actors; "
            f"all {c['quotes']} quotes found verbatim in their sources"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": self.path,
            **self.counts(),
            "problems": [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "context": p.context,
                    "field": p.field,
                    "message": p.message,
                }
                for p in self.problems
            ],
        }


def run_check(path: str | os.PathLike[str] | None = None) -> Report:
    from pakru.load import load
    from pakru.store import locate

    events_path = locate(path)
    try:
        dataset = load(events_path)
    except DatasetError as exc:
        return Report(str(events_path), None, tuple(exc.problems))
    return Report(str(events_path), dataset)
