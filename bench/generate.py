"""Write a synthetic pakru dataset of any size: python bench/generate.py N OUT [--seed S].

Realistic in shape: article-length source texts (about 50 claims per source, as in the real
articles, never fewer than five sources), claims whose quotes are real spans of their source,
summaries of 12-30 words, dates across 1947-2022 in every EDTF form pakru reads, topics, actors
and events shared between sources. Text is drawn Zipf-like from 4,000 words (the real articles'
words in their order of frequency, then pseudo-words), so that a topic word such as "gwadar" is
in about 2% of claims, as in the real data, and a claim's topics are those its text names. The
same seed always writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from itertools import accumulate
from pathlib import Path

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
N_WORDS = 4000  # the real articles' ~1,900 distinct words, then pseudo-words up to this many
ZIPF_S = 1.0  # rank r is drawn with weight 1 / (r + ZIPF_Q) ** ZIPF_S
ZIPF_Q = 2.7
WORD_RE = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")


def vocabulary() -> tuple[list[str], list[float]]:
    """Words ranked as in the real articles, then pseudo-words, with Zipf-like cumulative weights.

    It does not depend on the seed, so a word such as "gwadar" has the same share in every dataset
    (about 2% of claims mention it, as in the real data).
    """
    counts: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for path in sorted(SOURCES.glob("*.txt")) if SOURCES.is_dir() else []:
        for word in WORD_RE.findall(path.read_text(encoding="utf-8")):
            counts[word.lower()] += 1
            spelling.setdefault(word.lower(), Counter())[word] += 1
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    # each word in its commonest spelling ("Pakistan", "the"), lower case on a tie
    words = [max(sorted(spelling[w]), key=lambda v, w=w: (spelling[w][v], v == w)) for w in ranked]
    seen = set(counts)
    rng = random.Random("pakru pseudo-words")
    onsets, vowels = "b d f g h k l m n p r s t v z sh kh ch st tr".split(), "a e i o u ai ia".split()
    while len(words) < N_WORDS:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        word += rng.choice(["", "", "n", "r", "v", "stan", "abad"])
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1 / (rank + ZIPF_Q) ** ZIPF_S for rank in range(1, len(words) + 1)]
    return words, list(accumulate(weights))


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
VOCABULARY, CUM_WEIGHTS = vocabulary()
TOPIC_PATTERNS = [
    (tid, re.compile(r"\b(?:" + "|".join(re.escape(t) for t in [label, *aliases]) + r")\b", re.I))
    for tid, label, aliases in TOPICS
]
BROAD = ["diplomacy", "defence", "trade"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(VOCABULARY, cum_weights=CUM_WEIGHTS, k=rng.randint(low, high))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


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
        summary = sentence(rng, 12, 30)
        text = f"{summary} {quote}"
        # as a curator would: the topics the text names (gwadar ~2% of claims, india ~20%), else a broad one
        topics = [tid for tid, pattern in TOPIC_PATTERNS if pattern.search(text)][:4] or [rng.choice(BROAD)]
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
            f"    summary: {q(summary)}",
            f"    quote: {q(quote)}",
            f"    topics: [{', '.join(topics)}]",
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
