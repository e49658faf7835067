"""The asserted facts the derivation rules read (build/derive.py), fetched once with SPARQL,
and the points in time they give, as precisely as their sources say.

Kept apart from the rules so that each module reads in one sitting: this one knows the graph's
shape (treaty actions, application statements, EU memberships, territories, statements), the
rules module knows the law.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox

from ..intervals import INTERVAL, day_of
from ..namespaces import ID
from ..store import EmbeddedStore

EU_ORG = str(ID["organization/european-union"])
_P = """PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
"""


@dataclass(frozen=True)
class Start:
    """When a binding begins, as precisely as its premises say."""

    day: date | None = None  # exact
    not_later_than: date | None = None
    not_earlier_than: date | None = None
    year: int | None = None

    def earliest(self) -> date | None:
        """The earliest day it can be, for comparing starts."""
        if self.day:
            return self.day
        if self.year:
            return date(self.year, 1, 1)
        return self.not_earlier_than

    def known(self) -> bool:
        return self.day is not None or self.not_later_than is not None or self.year is not None

    def text(self) -> str:
        if self.day:
            return self.day.isoformat()
        if self.year:
            return str(self.year)
        if self.not_later_than and self.not_earlier_than:
            return (
                f"a date between {self.not_earlier_than.isoformat()} and {self.not_later_than.isoformat()} "
                "(the exact day is not in the sources)"
            )
        if self.not_later_than:
            return f"no later than {self.not_later_than.isoformat()}"
        if self.not_earlier_than:
            return f"a date after {self.not_earlier_than.isoformat()} not in the sources"
        return "a date not in the sources"


def rows(store: ox.Store | EmbeddedStore, query: str) -> list[dict[str, str]]:
    if isinstance(store, ox.Store):
        solutions = store.query(_P + query, use_default_graph_as_union=True)
    else:
        solutions = store.query(_P + query)  # an EmbeddedStore's default graph is the union already
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def start_of(row: dict[str, str]) -> Start | None:
    if "startDate" in row:
        return Start(day=day_of(row["startDate"]))
    if "startNlt" in row:
        return Start(not_later_than=day_of(row["startNlt"]))
    if "startYear" in row:
        return Start(year=int(row["startYear"][:4]))
    if "startNet" in row:
        return Start(not_earlier_than=day_of(row["startNet"]))
    return None


def combined(starts: Iterable[Start]) -> Start | None:
    """What several sourced statements together say of one start: an exact day if any gives
    one; otherwise the latest 'not earlier than' and the earliest 'not later than'."""
    starts = list(starts)
    for start in starts:
        if start.day or start.year:
            return start
    latest = max((s.not_earlier_than for s in starts if s.not_earlier_than), default=None)
    earliest = min((s.not_later_than for s in starts if s.not_later_than), default=None)
    if latest is None and earliest is None:
        return None
    return Start(not_later_than=earliest, not_earlier_than=latest)


def end_of(row: dict[str, str]) -> date | None:
    if "endDate" in row:
        return day_of(row["endDate"])
    if "endNlt" in row:
        return day_of(row["endNlt"])
    if "endYear" in row:
        return date(int(row["endYear"][:4]), 12, 31)
    return None


def open_end_of(row: dict[str, str]) -> date | None:
    """The day an application held at least until, where the source does not say whether it
    still holds after it (an end 'not earlier than' that day, written ``>=`` in `until`)."""
    if "endDate" in row or "endNlt" in row or "endYear" in row:
        return None
    return day_of(row.get("endNet"))


@dataclass
class Facts:
    """The asserted facts the rules read, fetched once with SPARQL."""

    kinds: dict[str, set[str]]
    parents: dict[str, str]
    labels: dict[str, str]
    rules: dict[str, dict[str, str]]
    actions: list[dict[str, str]]
    applications: list[dict[str, str]]
    members: list[dict[str, str]]
    parts: list[dict[str, str]]
    statements: list[dict[str, str]]
    agencies: dict[str, str]  # founding EU act → the EU body it founds (agency or network)
    #: agreements between an EU agency and a jurisdiction, with type, data flag and entry into force
    agreements: list[dict[str, str]] = field(default_factory=list)
    #: the sources of each (instrument, party)'s consent, and the sources that record territorial
    #: application at all: a table without any says nothing about a territory either way
    consent_sources: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    territorial_sources: set[str] = field(default_factory=set)
    #: treaties whose entry into force for a later party is counted in months (Council of Europe
    #: conventions): instrument → its months, its own entry into force and its article
    months_rules: dict[str, dict[str, str]] = field(default_factory=dict)


def read_facts(store: ox.Store | EmbeddedStore) -> Facts:
    kinds: dict[str, set[str]] = defaultdict(set)
    parents: dict[str, str] = {}
    for r in rows(
        store,
        """SELECT ?i ?kind ?parent WHERE { ?i a ?kind . ?kind rdfs:subClassOf* tfkg:LegalInstrument .
             OPTIONAL { ?i tfkg:supplements ?parent } }""",
    ):
        kinds[r["i"]].add(r["kind"].rsplit("#", 1)[-1])
        if "parent" in r:
            parents[r["i"]] = r["parent"]
    labels = {
        r["s"]: r["l"]
        for r in rows(
            store, "SELECT ?s ?l WHERE { ?s rdfs:label ?l . ?s a/rdfs:subClassOf* tfkg:Jurisdiction }"
        )
    }
    rules = {
        r["rule"]: r
        for r in rows(
            store,
            f"""SELECT * WHERE {{ ?rule a tfkg:DerivationRule ; tfkg:ruleKind ?kind ; rdfs:label ?label .
                 OPTIONAL {{ ?rule tfkg:instrument ?instrument }} OPTIONAL {{ ?rule tfkg:party ?party }}
                 OPTIONAL {{ ?rule prov:wasDerivedFrom ?source }}
                 OPTIONAL {{ ?rule tfkg:validDuring ?iv . {INTERVAL.format(v="iv")} }} }}""",
        )
    }
    actions = rows(
        store,
        """SELECT * WHERE { ?fact a tfkg:TreatyAction ; tfkg:party ?party ; tfkg:instrument ?instrument ;
             tfkg:actionType ?type ; tfkg:actionDate ?day .
             OPTIONAL { ?fact tfkg:entryIntoForceForParty ?inForce } OPTIONAL { ?fact tfkg:territory ?territory }
             OPTIONAL { ?fact prov:wasDerivedFrom/tfkg:snapshotDate ?snapshot }
             OPTIONAL { ?type skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound>
                        BIND(true AS ?consent) } }""",
    )
    applications = rows(
        store,
        f"""SELECT * WHERE {{ ?fact a tfkg:InstrumentApplication ; tfkg:party ?party ; tfkg:instrument ?instrument ;
             tfkg:bound ?bound . OPTIONAL {{ ?fact rdfs:comment ?note }}
             OPTIONAL {{ ?fact tfkg:validDuring ?iv . {INTERVAL.format(v="iv")} }} }}""",
    )
    members = rows(
        store,
        f"""SELECT * WHERE {{ ?fact a tfkg:Membership ; org:organization <{EU_ORG}> ; org:member ?party ;
             org:role <https://w3id.org/tfkg/id/role/member> .
             OPTIONAL {{ ?fact org:memberDuring ?iv . {INTERVAL.format(v="iv")} }} }}""",
    )
    parts = rows(store, "SELECT ?part ?state WHERE { ?part tfkg:partOf ?state }")
    agencies = {
        r["i"]: r["body"]
        for r in rows(
            store,
            "SELECT ?body ?i WHERE { ?body a/rdfs:subClassOf* org:Organization ; tfkg:legalBasis ?i . ?i a/rdfs:subClassOf* tfkg:EUAct }",
        )
    }
    statements = rows(
        store,
        """SELECT ?fact ?party ?instrument ?text ?day WHERE { ?fact a/rdfs:subClassOf* tfkg:PartyStatement ;
             tfkg:party ?party ; tfkg:instrument ?instrument ; tfkg:statementText ?text .
             OPTIONAL { ?fact tfkg:actionDate ?day } }""",
    )
    agreements = rows(
        store,
        """SELECT * WHERE { ?fact a ?class ; tfkg:agreementParty ?body, ?partner ; tfkg:agreementType ?type ;
             prov:wasDerivedFrom ?source .
             ?class rdfs:subClassOf* tfkg:CooperationAgreement . ?body a tfkg:EUAgency .
             ?partner a ?jurisdiction . ?jurisdiction rdfs:subClassOf* tfkg:Jurisdiction .
             OPTIONAL { ?fact rdfs:label ?label } OPTIONAL { ?fact tfkg:allowsPersonalData ?personalData }
             OPTIONAL { ?fact tfkg:entryIntoForce ?inForce } }""",
    )
    consent_sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows(
        store,
        """SELECT DISTINCT ?instrument ?party ?source WHERE {
             ?a a tfkg:TreatyAction ; tfkg:instrument ?instrument ; tfkg:party ?party ; tfkg:actionType ?type ;
                prov:wasDerivedFrom ?source .
             ?type skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> }""",
    ):
        consent_sources[(r["instrument"], r["party"])].add(r["source"])
    territorial = {
        r["source"]
        for r in rows(
            store,
            "SELECT DISTINCT ?source WHERE { ?a a tfkg:TreatyAction ; tfkg:territory ?t ; prov:wasDerivedFrom ?source }",
        )
    }
    months_rules = {
        r["i"]: r
        for r in rows(
            store,
            """SELECT ?i ?months ?inForce ?provision WHERE { ?i tfkg:monthsToEntryIntoForceForParty ?months .
                 OPTIONAL { ?i tfkg:entryIntoForce ?inForce } OPTIONAL { ?i tfkg:entryIntoForceProvision ?provision } }""",
        )
    }
    return Facts(
        kinds,
        parents,
        labels,
        rules,
        actions,
        applications,
        members,
        parts,
        statements,
        agencies,
        agreements,
        dict(consent_sources),
        territorial,
        months_rules,
    )


def rule_of(
    facts: Facts, kind: str, instrument: str | None = None, party: str | None = None
) -> dict[str, str] | None:
    for rule in facts.rules.values():
        if rule["kind"] != kind:
            continue
        if instrument is not None and rule.get("instrument") not in (None, instrument):
            continue
        if party is not None and rule.get("party") not in (None, party):
            continue
        if (
            instrument is not None
            and "instrument" not in rule
            and kind in ("eu-membership", "opt-out", "not-derived", "rejoin")
        ):
            continue
        return rule
    return None


def spells(facts: Facts, party: str) -> list[dict[str, str]]:
    return [m for m in facts.members if m["party"] == party]


def extended_end(
    facts: Facts, party: str, spell_end: date | None
) -> tuple[date | None, dict[str, str] | None]:
    """The end of a membership spell, extended by a withdrawal transition period if one applies."""
    rule = rule_of(facts, "withdrawal-transition", party=party)
    if spell_end is None or rule is None:
        return spell_end, None
    begins, ends = start_of(rule), end_of(rule)
    if begins and begins.day and ends and begins.day <= spell_end + timedelta(days=1) <= ends:
        return ends, rule
    return spell_end, None
