"""Make data text harmless to print: no control sequences, no bidi overrides.

rich neither strips ESC/OSC/C1 sequences from Text nor cares about bidi
overrides; a hostile or careless source text could rewrite the terminal, hide
text or forge a hyperlink. Each such character is shown as a visible escape.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]")
_BREAKS = re.compile("[\t\n\r]+")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """One printable line: breaks become spaces, control and bidi characters visible escapes."""
    if text.isprintable():  # no control, format or separator characters: the common case
        return text
    return _UNSAFE.sub(_escape, _BREAKS.sub(" ", text))


def clean_block(text: str) -> str:
    """Like clean, but keeps line breaks (for multi-line context)."""
    return "\n".join(clean(line) for line in text.split("\n"))
