"""A small dataset whose every text is hostile to some output format, built in memory."""

from __future__ import annotations

from pathlib import Path

from pakru.core.dates import parse_edtf
from pakru.core.model import Actor, Claim, Dataset, Event, Outlook, Source, Topic

HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://x") {}}{\\%$&#_^~ *em* [x](y) # h\nER  - \u2028'
QUOTE = "the plan was <b>bold</b> & [x](y) {}\\%$&#_^~"
TEXT = (
    "A Hostile Headline\n\nBy Someone\n\nLeave a Reply\n\n"
    "This first paragraph has more than eight words in it, so it counts.\n\n"
    f"Short Url\n\nA second paragraph of prose says that {QUOTE} and then it ends.\n\n"
    "Your email address will not be published. Required fields are marked *\n"
)


def hostile_dataset(folder: Path) -> Dataset:
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "sources" / "h.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sources" / "u.txt").write_text(TEXT, encoding="utf-8")
    named = Source(
        "h{1}", HOSTILE, "Jane <b>Doe</b>", None, "=cmd|' /C calc'!A0", "stated",
        parse_edtf("2021-12~"), "inferred", "h.txt", Outlook(-1, "-1 wary", "@SUM(1+1)"),
    )  # fmt: skip
    unsigned = Source(
        "u", "Unsigned piece", None, None, None, None, parse_edtf("2019"), "stated", "u.txt",
        Outlook(2, "bright", "fine"),
    )  # fmt: skip
    claims = (
        Claim("h-1", "h{1}", parse_edtf("1965/1970"), "stated", "event", "-" + HOSTILE, QUOTE,
              ("t-one",), ("+Actor",), None, "ev", -2),
        Claim("u-1", "u", parse_edtf("1968"), "stated", "event", "@ " + HOSTILE, "first paragraph",
              ("t-one",), (), None, "ev", 1),
        Claim("u-2", "u", None, "undated", "assessment", "#Heading", "ends", ("t-two",), (), None, None,
              None),
    )  # fmt: skip
    return Dataset.of(
        (named, unsigned),
        (Topic("t-one", "One <i>"), Topic("t-two", "Two")),
        (Actor("+Actor"),),
        (Event("ev", "An <event>"),),
        claims,
        str(folder / "events.yaml"),
        str(folder / "sources"),
    )
