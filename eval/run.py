"""Score `pakru search` on eval/queries.yaml: recall@5 ("answered") and MRR, per query type.

Three systems on the same claims:
- pakru (this checkout), in process;
- pakru before the rewrite: its `search --json` output for each query, recorded once in
  eval/before.json (``--record-before SRC`` runs the pakru found at SRC, e.g. main's src/);
- a plain FTS5 baseline: a unicode61 table over summary and quote, the query's words OR-ed,
  ranked by bm25().

An answer counts when an acceptable claim is in the top five; MRR takes the first acceptable
claim in the top ten. An "absent" query is right when nothing confident comes back: no hit at all,
or (pakru) only hits marked approximate.

Usage: python eval/run.py [--queries eval/queries.yaml] [--markdown] [--record-before SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TYPES = ("question", "keyword", "misspelling", "absent")


def load_queries(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def acceptable(answer: str, hit: dict[str, Any]) -> bool:
    """A claim id, or "source:YEAR" (a claim of the source whose dates cover the year)."""
    if ":" not in answer:
        return hit["id"] == answer
    source, year = answer.split(":", 1)
    if hit["source"] != source or not hit.get("start"):
        return False
    return int(hit["start"][:4]) <= int(year) <= int(hit["end"][:4])


def rank_of(answers: list[str], hits: list[dict[str, Any]]) -> int | None:
    for n, h in enumerate(hits[:10], 1):
        if any(acceptable(a, h) for a in answers):
            return n
    return None


def pakru_hits(queries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    sys.path.insert(0, str(ROOT / "src"))
    from pakru.core.errors import PakruError
    from pakru.queries.query import Filters
    from pakru.queries.search import search
    from pakru.store.open import open_store

    store = open_store(ROOT / "data", use_cache=False)
    out = []
    for q in queries:
        try:
            r = search(store, q["q"], Filters(), 10)
        except PakruError:
            out.append([])
            continue
        out.append(
            [
                {
                    "id": h.claim.id,
                    "source": h.claim.source,
                    "start": h.claim.date.start.isoformat() if h.claim.date else None,
                    "end": h.claim.date.end.isoformat() if h.claim.date else None,
                    "approximate": h.approximate,
                }
                for h in r.hits
            ]
        )
    return out


def baseline_hits(queries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    sys.path.insert(0, str(ROOT / "src"))
    from pakru.core import textnorm
    from pakru.dataset.load import load

    claims = list(load(ROOT / "data" / "events.yaml").claims)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(summary, quote, tokenize='unicode61')")
    conn.executemany(
        "INSERT INTO t(rowid, summary, quote) VALUES (?, ?, ?)",
        [(n, c.summary, c.quote) for n, c in enumerate(claims)],
    )
    out = []
    for q in queries:
        words = textnorm.fold(q["q"]).split()
        if not words:
            out.append([])
            continue
        match = " OR ".join(f'"{w}"' for w in words)
        rows = conn.execute(
            "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10", (match,)
        ).fetchall()
        out.append([_obj(claims[r]) for (r,) in rows])
    return out


def _obj(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "source": c.source,
        "start": c.date.start.isoformat() if c.date else None,
        "end": c.date.end.isoformat() if c.date else None,
    }


def record_before(queries: list[dict[str, Any]], src: str, path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": src}
    results: dict[str, list[dict[str, Any]]] = {}
    for q in queries:
        p = subprocess.run(
            [
                sys.executable,
                "-m",
                "pakru",
                "--data",
                str(ROOT / "data"),
                "search",
                "--json",
                "-n",
                "10",
                q["q"],
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            hits = json.loads(p.stdout) if p.stdout.strip() else []
        except json.JSONDecodeError:
            hits = []
        results[q["q"]] = [
            {"id": h["id"], "source": h["source"]["id"], "start": h["start"], "end": h["end"]} for h in hits
        ]
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def score(
    queries: list[dict[str, Any]], hits: list[list[dict[str, Any]]]
) -> dict[str, tuple[int, int, float]]:
    """Per type: (right, total, MRR)."""
    table: dict[str, list[float]] = {}
    right: dict[str, int] = {}
    for q, hs in zip(queries, hits, strict=True):
        kind = q["type"]
        table.setdefault(kind, [])
        right.setdefault(kind, 0)
        if kind == "absent":
            ok = not any(not h.get("approximate", False) for h in hs)
            right[kind] += ok
            table[kind].append(1.0 if ok else 0.0)
            continue
        n = rank_of(q["answers"], hs)
        right[kind] += n is not None and n <= 5
        table[kind].append(1 / n if n else 0.0)
    return {k: (right[k], len(v), sum(v) / len(v)) for k, v in table.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", default=str(ROOT / "eval" / "queries.yaml"))
    ap.add_argument("--before", default=str(ROOT / "eval" / "before.json"))
    ap.add_argument("--record-before", metavar="SRC")
    ap.add_argument("--misses", action="store_true", help="List the queries pakru misses.")
    args = ap.parse_args()
    queries = load_queries(Path(args.queries))
    if args.record_before:
        record_before(queries, args.record_before, Path(args.before))
    systems: dict[str, list[list[dict[str, Any]]]] = {}
    before_path = Path(args.before)
    if before_path.exists():
        before = json.loads(before_path.read_text(encoding="utf-8"))
        if all(q["q"] in before for q in queries):
            systems["pakru before"] = [before[q["q"]] for q in queries]
    systems["pakru"] = pakru_hits(queries)
    systems["FTS5 baseline"] = baseline_hits(queries)
    scores = {name: score(queries, hs) for name, hs in systems.items()}
    names = list(systems)
    print("| query type | " + " | ".join(f"{n}: answered | {n}: MRR" for n in names) + " |")
    print("|---|" + "---:|---:|" * len(names))
    for kind in TYPES:
        if kind not in scores["pakru"]:
            continue
        cells = []
        for n in names:
            r, total, mrr = scores[n][kind]
            cells += [f"{r} / {total}", "–" if kind == "absent" else f"{mrr:.2f}"]
        label = "absent (no confident hit)" if kind == "absent" else kind
        print(f"| {label} | " + " | ".join(cells) + " |")
    if args.misses:
        for q, hs in zip(queries, systems["pakru"], strict=True):
            if q["type"] == "absent":
                if any(not h.get("approximate") for h in hs):
                    print("CONFIDENT", q["q"], [h["id"] for h in hs[:3]])
                continue
            n = rank_of(q["answers"], hs)
            if n is None or n > 1:
                print(f"rank {n}: {q['q']} -> {[h['id'] for h in hs[:5]]} want {q['answers'][:4]}")


if __name__ == "__main__":
    main()
