"""The html export in a real headless browser: Debian's chromium driven by playwright.

`playwright install` downloads browsers and cannot work offline, so the test uses the system's
chromium (`apt-get install chromium`; .ci/run installs it) and is skipped, saying why, without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exportdata import hostile_dataset
from pakru.export import claims_for, renderer
from pakru.queries.query import Filters
from storedata import store_of

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, path: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(path.as_uri())
    return page, requests, errors


def test_shipped_page(browser, shipped_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shipped_dataset = shipped_store.dataset
    t = claims_for(shipped_store, Filters())
    path = tmp_path / "pakru.html"
    path.write_text(renderer("html")(shipped_dataset, t), encoding="utf-8")
    page, requests, errors = _open(browser, path)
    total = len(t.claims)
    rendered = page.eval_on_selector_all("article.claim", "els => els.map(e => e.dataset.id)")
    assert sorted(rendered) == sorted(c.id for c in t.claims)  # every claim, once
    assert page.locator("article.claim:visible").count() == total
    assert page.text_content("#count") == f"{total} of {total} claims"

    page.select_option("#topic", "defence")
    defence = sum("defence" in c.topics for c in t.claims)
    assert 0 < page.locator("article.claim:visible").count() == defence < total
    page.select_option("#source", "karim")
    both = sum("defence" in c.topics and c.source == "karim" for c in t.claims)
    assert page.locator("article.claim:visible").count() == both < defence
    page.select_option("#topic", "")
    page.select_option("#source", "")

    page.fill("#q", "helicopters")
    hits = page.locator("article.claim:visible").count()
    assert 0 < hits < total
    page.fill("#q", "helicopters zzzznotaword")
    assert page.locator("article.claim:visible").count() == 0
    assert page.locator("section.decade:visible").count() == 0
    page.fill("#q", "")
    assert page.locator("article.claim:visible").count() == total

    assert page.locator("table.grid tbody tr").count() > 3
    assert page.locator(".source").count() == len(shipped_dataset.sources)
    assert page.locator(".event").count() > 0
    assert requests == [path.as_uri()] and errors == []  # nothing left the page
    page.emulate_media(media="print")
    assert not page.locator("#controls").is_visible()
    page.close()


def test_hostile_page_stays_text(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = hostile_dataset(tmp_path / "ds")
    path = tmp_path / "hostile.html"
    path.write_text(renderer("html")(d, claims_for(store_of(d), Filters())), encoding="utf-8")
    page, requests, errors = _open(browser, path)
    assert page.locator("article.claim b, article.claim script, .source b").count() == 0
    assert "<script>alert(1)</script>" in page.text_content("#claim-h-1 h3")
    assert page.locator("article.claim").count() == 3
    page.fill("#q", "HYPERLINK")
    assert page.locator("article.claim:visible").count() == 2
    assert requests == [path.as_uri()] and errors == []  # no alert() ran, nothing was fetched
    page.close()
