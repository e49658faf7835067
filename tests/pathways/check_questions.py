"""Check the expected-answer files in this folder against tfkg's own keys.

Run: python tests/pathways/check_questions.py   (from the repository root); the test suite runs it too.

It checks the *format* of the questions, not tfkg's answers: every file is a list of
questions; ids are unique kebab-case; jurisdictions, crime areas, measures, instruments and
organizations are known keys (an instrument tfkg does not hold must be listed in the
question's `needs`); lists do not contradict each other; every question says what it rests on.
It never runs the pathway engine.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT / "data"
VOCAB = ROOT / "ontology" / "vocab"

EXPECT_KEYS = {
    "first",
    "applies",
    "not_applicable",
    "displaced",
    "uncertain",
    "no_basis",
    "mentions",
    "channels",
    "no_channels",
    "stale_warning",
}
INSTRUMENT_LISTS = ("applies", "not_applicable", "displaced", "uncertain", "stale_warning")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def keys(path: Path, column: str = "key") -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[column] for row in csv.DictReader(fh)}


@cache
def measures() -> frozenset[str]:
    """The measure keys of the cooperation-measures scheme (what the pathway engine accepts)."""
    text = (VOCAB / "measures.ttl").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^measure:([a-z0-9-]+)\s*$", text, flags=re.M))


@cache
def channels() -> frozenset[str]:
    """The channel keys of data/channels.csv: an expectation may mention a channel's answer."""
    return frozenset(keys(DATA / "channels.csv"))


def crime_areas() -> set[str]:
    text = (VOCAB / "crime-areas.ttl").read_text(encoding="utf-8")
    return set(re.findall(r"^area:([a-z0-9-]+)\s*$", text, flags=re.M))


def check(
    q: dict[str, Any],
    jurisdictions: set[str],
    instruments: set[str],
    organizations: set[str],
    areas: set[str],
) -> list[str]:
    """The format problems of one question."""
    out: list[str] = []
    if not KEBAB.match(str(q.get("id", ""))):
        out.append("id is not kebab-case")
    unknown = set(q) - {"id", "ask", "expect", "rests_on", "needs"}
    if unknown:
        out.append(f"unknown keys {sorted(unknown)}")
    ask = q.get("ask") or {}
    for side in ("from", "to"):
        if ask.get(side) not in jurisdictions:
            out.append(f"ask.{side} {ask.get(side)!r} is not a jurisdiction key")
    if ask.get("from") == ask.get("to"):
        out.append("from and to are the same")
    if ask.get("crime") not in areas:
        out.append(f"crime {ask.get('crime')!r} is not a crime-area key")
    if ask.get("measure") not in measures():
        out.append(f"measure {ask.get('measure')!r} is not an allowed measure key")
    if not isinstance(ask.get("on"), dt.date):
        out.append('ask "on" is not an ISO date (a bare on: key is read as true by YAML 1.1)')
    needs = set(q.get("needs") or [])
    expect = q.get("expect") or {}
    if not expect:
        out.append("no expectation")
    if set(expect) - EXPECT_KEYS:
        out.append(f"unknown expect keys {sorted(set(expect) - EXPECT_KEYS)}")
    named: set[str] = set()
    for name in INSTRUMENT_LISTS:
        value = expect.get(name) or []
        if isinstance(value, list):
            named |= set(value)
        else:
            out.append(f"expect.{name} is not a list")
    if expect.get("first"):
        named.add(expect["first"])
    mentions = expect.get("mentions") or {}
    named |= set(mentions) - channels()  # a channel's answer is mentioned by its key too
    out.extend(
        f"instrument {key!r} is neither in data/instruments.csv, data/bilateral/ nor in needs"
        for key in sorted(named)
        if key not in instruments and key not in needs and not key.startswith("designation/")
    )
    applies = set(expect.get("applies") or [])
    rejected = set(expect.get("not_applicable") or []) | set(expect.get("displaced") or [])
    if set(expect.get("uncertain") or []) & applies:
        out.append(f"both applicable and uncertain: {sorted(set(expect['uncertain']) & applies)}")
    if applies & rejected:
        out.append(f"both applicable and not: {sorted(applies & rejected)}")
    if expect.get("first") and expect["first"] not in applies:
        out.append("first is not among applies")
    if expect.get("no_basis") and applies:
        out.append("no_basis with applicable instruments")
    out.extend(
        f"channel {org!r} is not an organization key"
        for org in (expect.get("channels") or []) + (expect.get("no_channels") or [])
        if org not in organizations
    )
    if set(expect.get("channels") or []) & set(expect.get("no_channels") or []):
        out.append("a channel both expected and not")
    for inst, frags in mentions.items():
        if not isinstance(frags, list) or not all(isinstance(f, str) and f for f in frags):
            out.append(f"mentions.{inst} must be a list of non-empty strings")
    rests = q.get("rests_on")
    if not rests or not all(isinstance(r, str) and r.strip() for r in rests):
        out.append("rests_on missing or empty")
    return out


def main() -> int:
    jurisdictions = keys(DATA / "jurisdictions.csv")
    instruments = keys(DATA / "instruments.csv").union(
        *(keys(table) for table in sorted((DATA / "bilateral").glob("*.csv")))
    )
    organizations = keys(DATA / "organizations.csv")
    areas = crime_areas()
    errors: list[str] = []
    seen: dict[str, str] = {}
    total = 0
    for path in sorted(HERE.glob("*.yaml")):
        questions = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(questions, list):
            errors.append(f"{path.name}: not a list")
            continue
        for q in questions:
            total += 1
            qid = str(q.get("id", "?"))
            problems = check(q, jurisdictions, instruments, organizations, areas)
            if qid in seen:
                problems.append(f"id also used in {seen[qid]}")
            seen[qid] = path.name
            errors.extend(f"{path.name}:{qid}: {p}" for p in problems)
    for line in errors:
        print(line)
    print(f"{total} questions, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
