"""End-to-end tests in a real browser: headless Chromium (Debian's package) driven by Playwright
against a live `tfkg serve` on the real built dataset.

Each test acts as a user would (types, picks, clicks) and reads what the page shows. Every page
is checked with the axe-core accessibility linter (npm package, installed by `make install`)
and must load nothing from outside this server (the site works offline). Screenshots of each
page go to tests/artefacts/screenshots/. Without Chromium, Playwright or the front-end
packages, the tests skip and say which is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .w3c.server import running_server

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
)

CHROMIUM = os.environ.get("TFKG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
YASGUI = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build" / "yasgui.min.js"
SCREENSHOTS = ROOT / "tests" / "artefacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="no Chromium (apt-get install chromium; .ci/run installs it)"
    ),
    pytest.mark.skipif(
        not (AXE.is_file() and YASGUI.is_file()),
        reason="front-end packages missing (make install runs npm ci from package-lock.json)",
    ),
]


@pytest.fixture(scope="module")
def base_url(built_dataset: Path) -> Iterator[str]:
    with running_server([built_dataset], args=["--workers", "1", "--threads", "4"]) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page that records problems: requests leaving this server, script errors."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    outside: list[str] = []
    errors: list[str] = []
    tab.on(
        "request", lambda r: None if r.url.startswith((base_url, "data:", "blob:")) else outside.append(r.url)
    )
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # What the Content-Security-Policy (web/headers.py) refuses is reported on the console.
    tab.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield tab
    context.close()
    assert not outside, f"the page fetched from outside this server: {outside}"
    assert not errors, f"script errors: {errors}"


def accessible(page: Any, name: str) -> None:
    """Screenshot the page, then run axe-core (WCAG 2.1 A and AA) and fail on any violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the page's CSP allows no inline script
    report = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in report["violations"]
    ]
    assert not problems, f"{name}: accessibility violations:\n" + "\n".join(problems)


def api_rows(base_url: str, path: str) -> int:
    with urllib.request.urlopen(base_url + path, timeout=30) as reply:
        return len(json.load(reply)["results"]["bindings"])


def test_home_page_says_what_tfkg_is_and_how_current_it_is(page: Any) -> None:
    page.goto("/")
    assert "organized crime" in page.locator("h1").inner_text()
    currency = page.locator("#currency")
    assert currency.is_visible()
    table = page.get_by_role(
        "table", name="Party tables: parties tfkg knows, against the depositary's own count"
    )
    untoc = table.get_by_role(
        "row", name="United Nations Convention against Transnational Organized Crime 179"
    )
    assert "2024-05-04" in untoc.inner_text() and "not yet in tfkg" in untoc.inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    accessible(page, "home")


def test_workbench_runs_a_query_and_shows_the_rows(page: Any, base_url: str) -> None:
    page.goto("/sparql")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.evaluate(
        """() => { window.tfkgWorkbench.getTab().setQuery(
        'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n'
        + 'SELECT ?instrument ?label WHERE { ?instrument a <https://w3id.org/tfkg/ontology#MultilateralTreaty> ; rdfs:label ?label } ORDER BY ?label'); }"""
    )
    page.locator(".yasqe_queryButton:visible").click()
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() > 5
    assert (
        page.locator(".yasr table")
        .get_by_text("United Nations Convention against Transnational Organized Crime")
        .count()
    )
    raw = page.locator("#raw-links a[data-format=csv]")
    raw.hover()
    with urllib.request.urlopen(urllib.parse.urljoin(base_url, raw.get_attribute("href"))) as reply:
        assert len(reply.read().decode("utf-8").strip().splitlines()) == rows.count() + 1
    assert page.locator("#raw-links a[data-format=turtle]").is_hidden()  # a SELECT has no Turtle
    accessible(page, "workbench")


def test_workbench_completes_tfkg_terms_without_leaving_the_server(page: Any) -> None:
    page.goto("/sparql")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.evaluate(
        "() => { window.tfkgWorkbench.getTab().setQuery('PREFIX tfkg: <https://w3id.org/tfkg/ontology#>\\nSELECT * WHERE { ?a a tfkg:Treat'); }"
    )
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints")
    hints.wait_for()
    assert "tfkg:TreatyAction" in hints.inner_text()


def test_workbench_offers_the_named_queries_and_opens_entity_pages(page: Any) -> None:
    page.goto("/sparql")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.get_by_label("Example queries (the named-query catalogue)").select_option(
        label="Parties to an instrument on a date"
    )
    page.get_by_role("button", name="Load into the editor").click()
    assert "VALUES (?instrument ?on)" in page.evaluate("() => window.tfkgWorkbench.getTab().getQuery()")
    page.locator(".yasqe_queryButton:visible").click()
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() > 10
    link = page.locator(".yasr table a.iri", has_text="instrument/untoc").first
    assert link.get_attribute("href") == "/doc/instrument/untoc"
    link.click(position={"x": 8, "y": 8})  # on its first letters: a cut-short cell shows the start
    page.wait_for_url("**/doc/instrument/untoc")
    assert (
        "United Nations Convention against Transnational Organized Crime" in page.locator("h1").inner_text()
    )
    accessible(page, "entity-untoc")


def test_workbench_shows_a_syntax_error_in_words(page: Any) -> None:
    page.goto("/sparql")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.evaluate("() => { window.tfkgWorkbench.getTab().setQuery('SELECT * WHERE { ?s ?p }'); }")
    page.locator(".yasqe_queryButton:visible").click()
    error = page.locator(".yasr .errorResult")
    error.wait_for()
    assert "not valid SPARQL" in error.inner_text() and "Traceback" not in error.inner_text()


def test_pathway_finder_answers_for_two_named_countries(page: Any, base_url: str) -> None:
    page.goto("/pathways")
    page.get_by_label("Requesting jurisdiction").fill("Switzerland")
    page.get_by_label("Requested jurisdiction").fill("Germany")
    page.get_by_label("Crime area").select_option(label="Trafficking in persons")
    page.get_by_label("Measure").select_option(label="Extradition")
    page.get_by_label("Date").fill("2015-01-01")
    page.get_by_role("button", name="Find pathways").click()
    page.wait_for_url("**/pathways?*")
    bases = page.locator("h3:text-is('Legal bases') + ol.ranked > li")
    assert bases.first.is_visible()
    first = bases.filter(has_text="Protocol to Prevent, Suppress and Punish Trafficking in Persons").first
    first.get_by_text("Why, and from which sources").click()
    reasons = first.locator("details ul")
    assert "in force for it from 2006-11-26" in reasons.inner_text() and "2018-01-15" in reasons.inner_text()
    channels = page.locator("h3:text-is('Channels') + ol.ranked")
    assert "INTERPOL" in channels.inner_text()
    # The picture: both countries and every ranked item, drawn by cytoscape.js.
    labels = page.evaluate("() => window.tfkgPathwayGraph.nodes().map((n) => n.data('label'))")
    assert {"Switzerland", "Germany"} <= set(labels)
    assert len(labels) == 2 + bases.count() + page.locator("h3:text-is('Channels') + ol.ranked > li").count()
    # Permalink and JSON give the same answer.
    permalink = page.get_by_role("link", name="Permalink to this answer").get_attribute("href")
    with urllib.request.urlopen(
        base_url + page.get_by_role("link", name="JSON").get_attribute("href")
    ) as reply:
        answer = json.load(reply)
    assert answer["legal_bases"][0]["label"] in bases.first.inner_text()
    page.goto(permalink)
    assert page.locator("h3:text-is('Legal bases') + ol.ranked > li").count() == bases.count()
    accessible(page, "pathway-che-deu")


def test_pathway_finder_explains_a_name_it_does_not_know(page: Any) -> None:
    page.goto("/pathways")
    page.get_by_label("Requesting jurisdiction").fill("Atlantis")
    page.get_by_label("Requested jurisdiction").fill("DEU")
    page.get_by_label("Requested jurisdiction").press("Enter")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Atlantis" in alert.inner_text() and "Traceback" not in page.content()
    accessible(page, "pathway-error")


def test_named_query_form_runs_and_offers_downloads(page: Any, base_url: str) -> None:
    page.goto("/queries")
    page.get_by_role("link", name="Parties to an instrument on a date").click()
    page.get_by_label("instrument (required)").fill("untoc")
    page.get_by_label("on").fill("2010-01-01")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**/queries/parties_on_date?*")
    expected = api_rows(base_url, "/api/queries/parties_on_date?instrument=untoc&on=2010-01-01")
    assert page.locator("table tbody tr").count() == expected > 100
    csv_href = page.get_by_role("link", name="CSV").get_attribute("href")
    with urllib.request.urlopen(base_url + csv_href) as reply:
        assert reply.headers.get_content_type() == "text/csv"
        assert len(reply.read().decode("utf-8").strip().splitlines()) == expected + 1
    accessible(page, "query-parties-on-date")
    page.get_by_role("link", name="Open in the SPARQL workbench").click()
    page.locator(".yasqe .CodeMirror").wait_for()
    assert '"2010-01-01"' in page.evaluate("() => window.tfkgWorkbench.getTab().getQuery()")


def test_search_finds_an_entity(page: Any) -> None:
    page.goto("/search")
    page.get_by_label("Name or code").fill("Europol")
    page.get_by_label("Name or code").press("Enter")
    page.get_by_role("link", name="European Union Agency for Law Enforcement Cooperation").first.click()
    assert "Europol" in page.locator("main").inner_text()
    accessible(page, "entity-europol")


def test_a_shared_query_link_opens_the_workbench_and_runs_it(page: Any) -> None:
    """YASGUI's share links (and links from other sites) are /sparql?query=...: a browser gets
    the workbench with the query loaded and its results shown; tools get the results."""
    query = "SELECT ?label WHERE { <https://w3id.org/tfkg/id/jurisdiction/DEU> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    page.goto("/sparql?" + urllib.parse.urlencode({"query": query}))
    page.locator(".yasr table.dataTable tbody tr").first.wait_for()
    assert "Germany" in page.locator(".yasr table.dataTable tbody").inner_text()
    assert page.evaluate("() => window.tfkgWorkbench.getTab().getQuery()") == query


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/queries", "queries"),
        ("/search?q=trafficking", "search-trafficking"),
        ("/doc/jurisdiction/DEU", "entity-deu"),
        ("/graph/source/egmont-members-2026-07-17", "graph-egmont"),
        ("/downloads", "downloads"),
        ("/pathways", "pathway-form"),
        ("/queries/sources", "query-sources-form"),
    ],
)
def test_every_page_is_accessible(page: Any, path: str, name: str) -> None:
    page.goto(path)
    assert page.locator("h1").inner_text().strip()
    accessible(page, name)
