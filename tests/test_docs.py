"""The README's commands are the ones CI runs; every command is documented."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    install, test = shell_blocks()[:2]
    assert install.endswith("pakru timeline") and "\n" not in install
    assert "pytest" in test and "\n" not in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_every_command_is_documented() -> None:
    for command in ("search", "timeline", "compare", "show", "sources", "topics", "check"):
        assert f"pakru {command}" in README


def test_every_claim_field_is_documented() -> None:
    from pakru.dataset.records import CLAIM_FIELDS, SOURCE_FIELDS

    for name in (*CLAIM_FIELDS, *SOURCE_FIELDS):
        assert f"`{name}`" in README, name
