"""Realistic pathway questions with answers written from the sources and the instruments' texts.

Each question in tests/pathways/*.yaml says what a practitioner expects (the first basis, the
bases that must or must not apply, what is displaced, text an answer must contain, channels,
currency warnings) and what each expectation rests on; tests/pathways/README.md explains the
format. They were written without running tfkg, so a failure is a wrong answer, not a stale
expectation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

from tfkg.pathways import PathwayService
from tfkg.pathways.rules import Answer, Outcome
from tfkg.store import EmbeddedStore

from .conftest import ROOT

QUESTIONS = ROOT / "tests" / "pathways"
INS = "https://w3id.org/tfkg/id/instrument/"
#: `needs` that name data rather than an instrument, and what in tfkg now provides them.
PROVIDED = {
    "eaw-gbr-end-date": "data/rules.csv withdrawal-transition-gbr (Withdrawal Agreement arts. 126-127)",
    "eio-national-dates-curated": "data/applications/eio-directive.csv (tfkg import all, eio-application)",
    "territory-part-of-abw": "data/jurisdictions.csv ABW part_of NLD (ISO 3166-2:NL NL-AW)",
    "territory-part-of-hkg": "data/jurisdictions.csv HKG part_of CHN (ISO 3166-2:CN CN-HK)",
    "territory-part-of-guf": "data/jurisdictions.csv GUF part_of FRA (ISO 3166-2:FR FR-973)",
    "interpol-membership-2015-2024": "data/memberships/interpol-2015-2023.csv (tfkg import all, interpol-admissions)",
    "amld-2015-849": "data/instruments.csv aml-directive-2015-849 (Directive (EU) 2015/849)",
}


def _questions() -> list[Any]:
    found = []
    for path in sorted(QUESTIONS.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found.append(pytest.param(item, id=item["id"]))
    return found


@pytest.fixture(scope="module")
def service(built_dataset: Path) -> PathwayService:
    return PathwayService(EmbeddedStore.from_files([built_dataset]))


def _all(answer: Answer) -> list[Outcome]:
    return answer.bases + answer.channels + answer.rejected


def _text(outcome: Outcome) -> str:
    parts = [r.text for r in outcome.reasons + outcome.conditions] + outcome.notes + outcome.quiet
    return " | ".join(parts).casefold()


def test_there_are_at_least_60_questions() -> None:
    assert len(_questions()) >= 60


def test_every_question_is_well_formed_and_says_what_it_rests_on(capsys: pytest.CaptureFixture[str]) -> None:
    """tests/pathways/check_questions.py: known keys, no contradicting lists, and a rests_on
    (the source row or article) beside every expectation."""
    spec = importlib.util.spec_from_file_location("check_questions", QUESTIONS / "check_questions.py")
    assert spec is not None and spec.loader is not None
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    assert checker.main() == 0, capsys.readouterr().out


@pytest.mark.parametrize("item", _questions())
def test_question(service: PathwayService, item: dict[str, Any]) -> None:
    ask, expect = item["ask"], item.get("expect", {})
    missing = [
        need
        for need in item.get("needs") or []
        if INS + need not in service.static.instruments and need not in PROVIDED
    ]
    answer = service.ask(ask["from"], ask["to"], ask["crime"], ask["measure"], str(ask["on"]))
    applying = {o.iri for o in answer.bases if o.status == "applies"}
    problems = []
    if first := expect.get("first"):
        top = answer.bases[0].iri if answer.bases else None
        if top != INS + first:
            problems.append(f"first basis is {top}, expected {first}")
    for key in expect.get("applies") or []:
        if INS + key not in applying:
            problems.append(f"{key} does not apply")
    for key in expect.get("not_applicable") or []:
        if INS + key in applying:
            problems.append(f"{key} applies, but should not")
    for key in expect.get("displaced") or []:
        if not any(o.iri == INS + key and o.status == "displaced" for o in answer.bases):
            problems.append(f"{key} is not displaced")
    for key in expect.get("uncertain") or []:
        if not any(o.iri == INS + key and o.status == "uncertain" for o in answer.bases):
            problems.append(f"{key} is not reported as uncertain")
    if expect.get("no_basis") and applying:
        problems.append(f"expected no basis, got {sorted(applying)}")
    for key, fragments in (expect.get("mentions") or {}).items():
        outcomes = [o for o in _all(answer) if o.iri == INS + key or o.iri.endswith("/" + key)]
        said = " || ".join(_text(o) for o in outcomes) + " " + answer.summary().casefold()
        for fragment in fragments:
            if str(fragment).casefold() not in said:
                problems.append(f"{key}: does not say {fragment!r}")
    for key in expect.get("channels") or []:
        # a channel is named after its operator ("Egmont Secure Web" for organization/egmont-group)
        if not any(key.split("-")[0] in c.label.casefold() for c in answer.channels):
            problems.append(f"no channel through {key}")
    for key in expect.get("no_channels") or []:
        if any(key.split("-")[0] in c.label.casefold() for c in answer.channels):
            problems.append(f"a channel through {key}, but there should be none")
    for key in expect.get("stale_warning") or []:
        if not any(o.iri == INS + key and o.stale for o in _all(answer)):
            problems.append(f"{key}: no currency warning")
    if problems and missing:
        # Every question is asked; one whose expectations fail only where it names data tfkg lacks
        # is a known gap (the list is issue 14's), reported rather than failed.
        pytest.skip(f"needs {', '.join(missing)}, not yet in tfkg's data: " + "; ".join(problems))
    assert not problems, f"{item['id']}: " + "; ".join(problems) + f"\nrests on: {item.get('rests_on')}"
