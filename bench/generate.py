"""Write a synthetic pakru dataset of any size: python bench/generate.py N OUT [--seed S].

Realistic in shape: article-length source texts (about 50 claims per source, as in the real
articles, never fewer than five sources), claims whose quotes are real spans of their source,
summaries of 12-30 words, dates across 1947-2022 in every EDTF form pakru reads, topics, actors
and events shared between sources. The same seed always writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

WORDS = (
    "Pakistan Russia Moscow Islamabad India China Afghanistan Taliban Gwadar port pipeline gas "
    "treaty visit minister army exercise drills helicopters embargo sanctions trade railway "
    "corridor security terrorism cooperation agreement summit delegation defence navy energy "
    "partnership relations strategic regional economic military diplomatic bilateral talks "
    "support interest influence policy balance alliance rivalry friendship convergence"
).split()
FILLER = "the of and to in a that with for on as by its their this from was were has have".split()
TOPICS = [
    ("india", "India", ["New Delhi", "Indian"]),
    ("afghanistan", "Afghanistan", ["Afghan", "Kabul"]),
    ("china", "China", ["Chinese", "Beijing"]),
    ("defence", "Defence", ["arms", "weapons", "defense"]),
    ("energy", "Energy", ["gas", "pipeline", "oil"]),
    ("gwadar", "Gwadar", ["Gwadar port"]),
    ("isis", "ISIS", ["Daesh", "ISIL", "Islamic State"]),
    ("exercises", "Joint exercises", ["drills", "Druzhba", "Friendship"]),
    ("trade", "Trade", ["railway", "corridor", "connectivity"]),
    ("diplomacy", "Diplomacy", ["visit", "talks", "summit"]),
]
ACTORS = ["Pakistan", "Russia", "India", "China", "United States", "Afghanistan", "Taliban"]
KINDS = ["event", "event", "assessment", "prediction"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    count = rng.randint(low, high)
    words = [rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(FILLER) for _ in range(count)]
    return " ".join(words).capitalize() + "."


def edtf(rng: random.Random) -> tuple[str | None, str]:
    roll = rng.random()
    year = rng.randint(1947, 2022)
    if roll < 0.15:
        return None, "undated"
    if roll < 0.45:
        return str(year), "stated"
    if roll < 0.65:
        return f"{year}-{rng.randint(1, 12):02d}", "stated"
    if roll < 0.75:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "stated"
    if roll < 0.82:
        return f"{year // 10}X", "stated"
    if roll < 0.9:
        return f"{year}/{min(2022, year + rng.randint(1, 5))}", "stated"
    return f"{year}{rng.choice('~?')}", "resolved"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def generate(n: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    n_sources = max(5, n // 50)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    per_source: list[list[str]] = [[] for _ in range(n_sources)]
    lines = ["format: 1", "sources:"]
    for s in range(n_sources):
        sentences = [sentence(rng, 12, 40) for _ in range(max(1, n // n_sources) + 5)]
        per_source[s] = sentences
        (out / "sources" / f"s{s:05d}.txt").write_text(f"Article {s}\n\n" + " ".join(sentences) + "\n")
        year = rng.randint(2015, 2022)
        lines += [
            f"  - id: s{s:05d}",
            f"    title: {q('On Pakistan and Russia, part ' + str(s))}",
            f"    author: {q('Author ' + str(s))}" if s % 7 else "    author: null",
            f"    author_note: {q('writer ' + str(s))}",
            f"    outlet: {q('Outlet ' + str(s % 9))}",
            f'    published: "{year}-{rng.randint(1, 12):02d}"',
            '    published_basis: "stated"',
            f"    text: s{s:05d}.txt",
            "    outlook:",
            f'      score: "{rng.randint(-2, 2)}"',
            '      label: "synthetic"',
            f"      quote: {q(sentences[0])}",
        ]
    lines.append("topics:")
    for tid, label, aliases in TOPICS:
        lines.append(f"  - {{id: {tid}, label: {q(label)}, aliases: {json.dumps(aliases)}}}")
    lines.append("actors:")
    for a in ACTORS:
        lines.append(f"  - {{name: {q(a)}, aliases: []}}")
    n_events = max(1, n // 20)
    lines.append("events:")
    for e in range(n_events):
        lines.append(f"  - {{id: e{e:06d}, label: {q('Event ' + str(e))}}}")
    lines.append("claims:")
    counters = [0] * n_sources
    for i in range(n):
        s = i % n_sources
        sentences = per_source[s]
        text = sentences[counters[s] % len(sentences)]
        counters[s] += 1
        words = text.split()
        start = rng.randint(0, max(0, len(words) - 8))
        quote = " ".join(words[start : start + rng.randint(6, 20)])
        date, basis = edtf(rng)
        claim = [
            f"  - id: c{i:07d}",
            f"    source: s{s:05d}",
            f'    date: "{date}"' if date else "    date: null",
            f"    date_basis: {basis}",
        ]
        if basis == "resolved":
            claim.append('    date_note: "“last year”, against publication"')
        if rng.random() < 0.2:
            claim.append(f"    event: e{rng.randrange(n_events):06d}")
        claim += [
            f"    kind: {rng.choice(KINDS)}",
            f"    summary: {q(sentence(rng, 12, 30))}",
            f"    quote: {q(quote)}",
            f"    topics: [{', '.join(rng.sample([t[0] for t in TOPICS], rng.randint(1, 3)))}]",
            f"    actors: [{', '.join(rng.sample(ACTORS, rng.randint(1, 3)))}]",
        ]
        if rng.random() < 0.6:
            claim.append(f'    stance: "{rng.randint(-2, 2)}"')
        lines += claim
    (out / "events.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.claims, args.out, args.seed)


if __name__ == "__main__":
    main()
