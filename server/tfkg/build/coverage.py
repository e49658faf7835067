"""What the graph knows, set against what its sources say exists: `tfkg stats`.

For each instrument: the parties tfkg knows (consent to be bound, from its own treaty
actions) and the snapshot they reflect, next to the depositary's own count and date. For
each organization: the members known and their sources. Then the gaps, said plainly.
Computed with SPARQL on the published dataset, so it describes exactly what is served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..store import EmbeddedStore, Store, select_rows
from .stats import load_store

PREFIXES = """
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
"""

INSTRUMENTS = (
    PREFIXES
    + """
SELECT ?instrument ?label ?known ?knownAsOf ?stated ?statedAsOf ?signed ?statedSignatories WHERE {
  { SELECT DISTINCT ?instrument WHERE { ?instrument a/rdfs:subClassOf* tfkg:LegalInstrument } }
  ?instrument rdfs:label ?label .
  FILTER NOT EXISTS { ?instrument a/rdfs:subClassOf* tfkg:CooperationAgreement }
  FILTER NOT EXISTS { ?instrument tfkg:treatyPartner ?partner }
  OPTIONAL {
    SELECT ?instrument (COUNT(DISTINCT ?party) AS ?known) WHERE {
      ?action a tfkg:TreatyAction ; tfkg:instrument ?instrument ; tfkg:party ?party ;
              tfkg:actionType/skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> .
    } GROUP BY ?instrument
  }
  OPTIONAL {
    # the date of the latest party table: a source giving one state's consent (a hand row) is none
    SELECT ?instrument (MAX(?snapshot) AS ?knownAsOf) WHERE {
      { SELECT ?instrument ?src (COUNT(DISTINCT ?party) AS ?n) WHERE {
          ?action a tfkg:TreatyAction ; tfkg:instrument ?instrument ; tfkg:party ?party ; prov:wasDerivedFrom ?src ;
                  tfkg:actionType/skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> .
        } GROUP BY ?instrument ?src }
      FILTER(?n > 1)
      ?src tfkg:snapshotDate ?snapshot .
    } GROUP BY ?instrument
  }
  OPTIONAL {
    SELECT ?instrument (COUNT(DISTINCT ?signatory) AS ?signed) WHERE {
      ?signature a tfkg:TreatyAction ; tfkg:instrument ?instrument ; tfkg:party ?signatory ;
                 tfkg:actionType <https://w3id.org/tfkg/id/action-type/signature> .
    } GROUP BY ?instrument
  }
  OPTIONAL {
    SELECT ?instrument (MAX(?asOf) AS ?statedAsOf) WHERE {
      ?latest a tfkg:DepositaryStatus ; tfkg:instrument ?instrument ; prov:wasDerivedFrom/tfkg:snapshotDate ?asOf .
    } GROUP BY ?instrument
  }
  OPTIONAL {
    ?status a tfkg:DepositaryStatus ; tfkg:instrument ?instrument ; prov:wasDerivedFrom/tfkg:snapshotDate ?statedAsOf .
    OPTIONAL { ?status tfkg:statedParties ?stated }
    OPTIONAL { ?status tfkg:statedSignatories ?statedSignatories }
  }
} ORDER BY ?label
"""
)

#: Treaties between named partners, by what the sources say of their entry into force: a
#: stated day, only a listing as in force ("no later than"), or nothing (signed, or undated).
CLOSED_TREATIES = (
    PREFIXES
    + """
SELECT ?kind (COUNT(DISTINCT ?treaty) AS ?n) WHERE {
  { SELECT DISTINCT ?treaty WHERE { ?treaty tfkg:treatyPartner ?partner } }
  OPTIONAL {
    SELECT ?treaty (MAX(IF(BOUND(?day), 2, 1)) AS ?best) WHERE {
      ?application a tfkg:InstrumentApplication ; tfkg:instrument ?treaty ;
                   tfkg:validDuring/time:hasBeginning ?start .
      OPTIONAL { ?start time:inXSDDate ?day }
    } GROUP BY ?treaty
  }
  BIND(COALESCE(?best, 0) AS ?known)
  BIND(IF(?known = 2, "in force: entry into force stated to the day",
       IF(?known = 1, "listed as in force by a date, the day not stated",
          "signed, or undated; entry into force not stated")) AS ?kind)
} GROUP BY ?kind ORDER BY ?kind
"""
)

DESIGNATIONS = (
    PREFIXES
    + "SELECT (COUNT(DISTINCT CONCAT(STR(?by), STR(?to))) AS ?n) WHERE "
    + "{ ?d a tfkg:ExtraditionDesignation ; tfkg:designatedBy ?by ; tfkg:designates ?to }"
)

#: Current holders (no end in the sources) per organization and role, with the span of the
#: snapshots their sources reflect (a period where the source gives only a month or a year).
ORGANIZATIONS = (
    PREFIXES
    + """
SELECT ?organization ?label ?role (COUNT(DISTINCT ?member) AS ?members) (MIN(?snap) AS ?from) (MAX(?snap) AS ?to) WHERE {
  ?organization a ?kind ; rdfs:label ?label .
  ?kind rdfs:subClassOf* tfkg:CooperationBody .
  OPTIONAL {
    ?membership org:organization ?organization ; org:member ?member ; org:role ?role ;
                prov:wasDerivedFrom ?src .
    ?src tfkg:snapshotDate ?day . OPTIONAL { ?src tfkg:snapshotPeriod ?period }
    BIND (COALESCE(STR(?period), STR(?day)) AS ?snap)
    FILTER NOT EXISTS { ?membership org:memberDuring/time:hasEnd ?end }
  }
} GROUP BY ?organization ?label ?role ORDER BY ?label ?role
"""
)

#: The agreements each body has with partners: how many, how many dated (signature, "signed
#: not later than" or entry into force), how many with an entry into force, and their span.
AGREEMENTS = (
    PREFIXES
    + """
SELECT ?body ?label (COUNT(DISTINCT ?agreement) AS ?n) (COUNT(DISTINCT ?dated) AS ?datedN)
       (COUNT(DISTINCT ?inForce) AS ?inForceN) (MIN(IF(BOUND(?date), STR(?date), "~")) AS ?first)
       (MAX(IF(BOUND(?date), STR(?date), "")) AS ?last) WHERE {
  ?agreement a/rdfs:subClassOf* tfkg:CooperationAgreement ; tfkg:agreementParty ?body .
  ?body a/rdfs:subClassOf* tfkg:CooperationBody ; rdfs:label ?label .
  OPTIONAL { ?agreement tfkg:signatureDate|tfkg:signatureNotLaterThan|tfkg:entryIntoForce ?date
             BIND (?agreement AS ?dated) }
  OPTIONAL { ?agreement tfkg:entryIntoForce ?eif BIND (?agreement AS ?inForce) }
} GROUP BY ?body ?label ORDER BY ?label
"""
)

#: Council of Europe charts: for each instrument with a CETS number and each source of its party
#: facts, the States that source gives facts for, and the total the source states, where it
#: does (a chart page's footer, in data/depositary-status.csv). A source without a total is a
#: part of its chart: the report says so and never calls it complete.
CHARTS = (
    PREFIXES
    + """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?instrument ?label ?source ?title ?snapshot (COUNT(DISTINCT ?party) AS ?states) (MAX(?total) AS ?stated)
WHERE {
  ?instrument tfkg:cetsNumber ?number ; rdfs:label ?label .
  ?fact tfkg:instrument ?instrument ; tfkg:party ?party ; prov:wasDerivedFrom ?source .
  { ?fact a tfkg:TreatyAction } UNION { ?fact a/rdfs:subClassOf* tfkg:PartyStatement }
  ?source dcterms:title ?title ; tfkg:snapshotDate ?snapshot .
  OPTIONAL {
    ?status a tfkg:DepositaryStatus ; tfkg:instrument ?instrument ; tfkg:statedParties ?total ;
            prov:wasDerivedFrom ?source .
  }
} GROUP BY ?instrument ?label ?source ?title ?snapshot ORDER BY ?label ?snapshot ?source
"""
)

#: Council of Europe treaties for which no source gives a single party fact (no chart at all).
UNCHARTED = (
    PREFIXES
    + """
SELECT ?instrument ?label WHERE {
  ?instrument tfkg:cetsNumber ?number ; rdfs:label ?label .
  FILTER NOT EXISTS { ?fact tfkg:instrument ?instrument ; tfkg:party ?party }
} ORDER BY ?label
"""
)

#: Each gap query counts in ?n; one that also names what it counts does so in ?which, so that a
#: short gap (Malta, for which no EIO source was found) is said by name, not only as a number.
GAPS = {
    "mandates without a legal basis in the sources": PREFIXES
    + "SELECT (COUNT(*) AS ?n) WHERE { ?m a tfkg:Mandate FILTER NOT EXISTS { ?m tfkg:legalBasis ?b } }",
    "reservations, declarations and notifications without a date in the sources": PREFIXES
    + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a/rdfs:subClassOf* tfkg:PartyStatement "
    "FILTER NOT EXISTS { ?s tfkg:actionDate ?d } }",
    "consents with no computed entry into force for the party (successions, or no rule in the sources)": PREFIXES
    + "SELECT (COUNT(*) AS ?n) WHERE { ?a a tfkg:TreatyAction ; "
    "tfkg:actionType/skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> "
    "FILTER NOT EXISTS { ?a tfkg:entryIntoForceForParty ?d } }",
    "cooperation agreements with no date (signature or entry into force) in the sources": PREFIXES
    + """SELECT (COUNT(DISTINCT ?a) AS ?n) (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?which) WHERE {
      ?a a/rdfs:subClassOf* tfkg:CooperationAgreement ; rdfs:label ?name .
      FILTER NOT EXISTS { ?a tfkg:signatureDate|tfkg:signatureNotLaterThan|tfkg:entryIntoForce ?d }
    }""",
    "cooperation agreements signed with no entry into force in the sources": PREFIXES
    + """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
      ?a a/rdfs:subClassOf* tfkg:CooperationAgreement ; tfkg:signatureDate|tfkg:signatureNotLaterThan ?d .
      FILTER NOT EXISTS { ?a tfkg:entryIntoForce ?e }
    }""",
    "Council of Europe instruments whose entry-into-force article is not in the sources": PREFIXES
    + """SELECT (COUNT(DISTINCT ?i) AS ?n) (GROUP_CONCAT(DISTINCT ?key; separator=" ") AS ?which) WHERE {
      ?i tfkg:cetsNumber ?number FILTER NOT EXISTS { ?i tfkg:entryIntoForceProvision ?p }
      BIND(REPLACE(STR(?i), "^.*/", "") AS ?key)
    }""",
    "EU acts whose application date is not in the sources, so that no binding is derived": PREFIXES
    + """SELECT (COUNT(DISTINCT ?i) AS ?n) (GROUP_CONCAT(DISTINCT ?key; separator=" ") AS ?which) WHERE {
      VALUES ?kind { tfkg:EUDirective tfkg:EUFrameworkDecision tfkg:EURegulation }
      ?i a ?kind ; tfkg:providesMeasure ?m .
      FILTER NOT EXISTS { ?b a tfkg:Binding ; tfkg:instrument ?i }
      FILTER NOT EXISTS { ?body tfkg:legalBasis ?i }  # the agencies' Regulations: members by agency rules
      BIND(REPLACE(STR(?i), "^.*/", "") AS ?key)
    }""",
    "treaties whose parties are in force only 'no later than' a source's date, the day not in the sources": PREFIXES
    + """SELECT (COUNT(DISTINCT ?i) AS ?n) (GROUP_CONCAT(DISTINCT ?key; separator=" ") AS ?which) WHERE {
      { SELECT ?i (SUM(IF(BOUND(?day), 1, 0)) AS ?exact) (SUM(IF(BOUND(?nlt), 1, 0)) AS ?bounded) WHERE {
          ?i a tfkg:MultilateralTreaty .
          ?b tfkg:instrument ?i ; a tfkg:Binding ; tfkg:validDuring/time:hasBeginning ?s .
          OPTIONAL { ?s time:inXSDDate ?day } OPTIONAL { ?s tfkg:notLaterThan ?nlt }
        } GROUP BY ?i }
      FILTER(?bounded > 0 && ?exact = 0)
      BIND(REPLACE(STR(?i), "^.*/", "") AS ?key)
    }""",
    "EU member states with no EIO application statement": PREFIXES
    + """SELECT (COUNT(DISTINCT ?state) AS ?n) (GROUP_CONCAT(DISTINCT ?code; separator=" ") AS ?which) WHERE {
      ?m org:organization <https://w3id.org/tfkg/id/organization/european-union> ; org:member ?state .
      FILTER NOT EXISTS { ?m org:memberDuring/time:hasEnd ?end }
      FILTER NOT EXISTS { ?app a tfkg:InstrumentApplication ;
        tfkg:instrument <https://w3id.org/tfkg/id/instrument/eio-directive> ; tfkg:party ?state }
      OPTIONAL { ?state tfkg:isoAlpha3 ?code }
    }""",
}


@dataclass
class InstrumentCoverage:
    instrument: str
    label: str
    known: int
    known_as_of: str
    stated: int | None
    stated_as_of: str
    signed: int = 0
    stated_signatories: int | None = None

    @property
    def verdict(self) -> str:
        if self.stated is None and self.stated_signatories is not None:
            return (
                f"no party stated (not in force); {self.signed} of {self.stated_signatories} signatories "
                f"known by name, as of {self.stated_as_of}"
            )
        if self.stated is None:
            return "no depositary count in the sources" + ("" if self.known else "; no party table either")
        if self.known_as_of == self.stated_as_of:
            return "complete" if self.known == self.stated else f"differs by {self.stated - self.known}"
        if not self.known:
            return "no party table in the sources"
        return f"{self.stated - self.known:+d} parties by {self.stated_as_of} not yet in tfkg"


@dataclass
class BodyAgreements:
    """A body's agreements with partners: how many, how many dated, how many in force."""

    body: str
    label: str
    agreements: int
    dated: int
    in_force: int
    first: str
    last: str


def roles_text(roles: dict[str, int]) -> str:
    """'196 members' or '40 founding participants' or '27 members, 2 partners'."""
    parts = []
    for role, n in sorted(roles.items(), key=lambda r: (r[0] != "member", r[0])):
        name = role.replace("-", " ")
        parts.append(f"{n} {name}" + ("" if n == 1 else "s"))
    return ", ".join(parts)


@dataclass
class ChartCoverage:
    """How much of one source's account of a Council of Europe treaty tfkg holds."""

    instrument: str
    label: str
    source: str
    title: str
    as_of: str
    states: int
    stated: int | None

    @property
    def verdict(self) -> str:
        if self.stated is None:
            return (
                f"{self.states} States known from a part of this source (as of {self.as_of}); "
                "its total is not in the sources, so not complete"
            )
        if self.states == self.stated:
            return f"{self.states} of the {self.stated} parties the chart states as of {self.as_of}"
        return f"{self.states} States known; the chart states {self.stated} parties as of {self.as_of}"


@dataclass
class Coverage:
    instruments: list[InstrumentCoverage] = field(default_factory=list)
    #: (organization, label, current holders of any role, the span of their sources' snapshots)
    organizations: list[tuple[str, str, int, str]] = field(default_factory=list)
    #: organization → role → current holders ("current": no end in the sources)
    organization_roles: dict[str, dict[str, int]] = field(default_factory=dict)
    agreements: list[BodyAgreements] = field(default_factory=list)
    charts: list[ChartCoverage] = field(default_factory=list)
    uncharted: list[tuple[str, str]] = field(default_factory=list)
    gaps: dict[str, int] = field(default_factory=dict)
    gap_members: dict[str, str] = field(default_factory=dict)
    closed_treaties: dict[str, int] = field(default_factory=dict)
    designations: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "instruments": [vars(i) | {"verdict": i.verdict} for i in self.instruments],
            "organizations": [
                {
                    "organization": o,
                    "label": label,
                    "members": n,
                    "roles": self.organization_roles.get(o, {}),
                    "as_of": d,
                }
                for o, label, n, d in self.organizations
            ],
            "agreements": [vars(a) for a in self.agreements],
            "charts": [vars(c) | {"verdict": c.verdict} for c in self.charts],
            "uncharted": [{"instrument": i, "label": label} for i, label in self.uncharted],
            "gaps": self.gaps,
            "gap_members": self.gap_members,
            "bilateral_treaties": self.closed_treaties,
            "designations": self.designations,
        }

    def describe(self) -> str:
        lines = ["Instruments: parties known to tfkg vs the depositary's count", ""]
        lines.append(f"  {'instrument':<44} {'known':>5} {'as of':<10}  {'stated':>6} {'as of':<10}  verdict")
        for i in self.instruments:
            stated = "" if i.stated is None else str(i.stated)
            lines.append(
                f"  {_short(i.label):<44} {i.known:>5} {i.known_as_of:<10}  {stated:>6} {i.stated_as_of:<10}  {i.verdict}"
            )
        total = sum(self.closed_treaties.values())
        lines += ["", f"Bilateral treaties (and others between named partners): {total}", ""]
        lines += [f"  {n:>5}  {what}" for what, n in self.closed_treaties.items()]
        lines += [
            f"  {self.designations:>5}  designations under national law (UK category 2 territories): not treaties"
        ]
        lines += ["", "Organizations: current members known (no end in the sources), by role", ""]
        for iri, label, members, as_of in self.organizations:
            roles = roles_text(self.organization_roles.get(iri, {}))
            note = f"{roles}, sources as of {as_of}" if members else "no member list in the sources"
            lines.append(f"  {_short(label):<60} {note}")
        lines += ["", "Agreements of the bodies with partners", ""]
        for a in self.agreements:
            span = f", dated {a.first} to {a.last}" if a.dated else ""
            lines.append(
                f"  {_short(a.label):<60} {a.agreements} agreements, {a.dated} dated, "
                f"{a.in_force} with an entry into force{span}"
            )
        lines += [
            "",
            "Council of Europe treaties: States known from each source, against the total it states",
            "",
        ]
        lines += [f"  {_short(c.label, 30):<30} {c.source:<34} {c.verdict}" for c in self.charts]
        lines += [
            f"  {_short(label, 30):<30} {'':<34} no chart rows in the sources" for _, label in self.uncharted
        ]
        lines += ["", "Known gaps", ""]
        lines += [
            f"  {count:>5}  {what}" + (f": {self.gap_members[what]}" if self.gap_members.get(what) else "")
            for what, count in self.gaps.items()
        ]
        return "\n".join(lines)


def _short(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def coverage(dataset: Path) -> Coverage:
    """Coverage of the dataset at ``dataset`` (a built N-Quads file)."""
    return coverage_of(EmbeddedStore(load_store(dataset)))


def coverage_of(store: Store) -> Coverage:
    """Coverage of what ``store`` holds (its default graph is the union of its graphs)."""
    report = Coverage()
    for row in select_rows(store, INSTRUMENTS):
        report.instruments.append(
            InstrumentCoverage(
                instrument=row["instrument"],
                label=row["label"],
                known=int(row.get("known", 0)),
                known_as_of=row.get("knownAsOf", ""),
                stated=int(row["stated"]) if "stated" in row else None,
                stated_as_of=row.get("statedAsOf", "")
                if "stated" in row or "statedSignatories" in row
                else "",
                signed=int(row.get("signed", 0)),
                stated_signatories=int(row["statedSignatories"]) if "statedSignatories" in row else None,
            )
        )
    spans: dict[str, tuple[str, str, str]] = {}
    for row in select_rows(store, ORGANIZATIONS):
        iri = row["organization"]
        roles = report.organization_roles.setdefault(iri, {})
        if int(row["members"]):
            roles[row["role"].rsplit("/", 1)[-1]] = int(row["members"])
        first, last = row.get("from", ""), row.get("to", "")
        label, low, high = spans.get(iri, (row["label"], first, last))
        spans[iri] = (label, min(low, first) or first, max(high, last))
    for iri, (label, low, high) in spans.items():
        total = sum(report.organization_roles[iri].values())
        report.organizations.append((iri, label, total, low if low == high else f"{low} to {high}"))
    report.organizations.sort(key=lambda o: o[1])
    for row in select_rows(store, AGREEMENTS):
        report.agreements.append(
            BodyAgreements(
                row["body"],
                row["label"],
                int(row["n"]),
                int(row["datedN"]),
                int(row["inForceN"]),
                row.get("first", ""),
                row.get("last", ""),
            )
        )
    for row in select_rows(store, CLOSED_TREATIES):
        report.closed_treaties[row["kind"]] = int(row["n"])
    rows = select_rows(store, DESIGNATIONS)
    report.designations = int(rows[0]["n"]) if rows else 0
    for row in select_rows(store, CHARTS):
        report.charts.append(
            ChartCoverage(
                instrument=row["instrument"],
                label=row["label"],
                source=row["source"].rsplit("/", 1)[-1],
                title=row["title"],
                as_of=row["snapshot"],
                states=int(row["states"]),
                stated=int(row["stated"]) if "stated" in row else None,
            )
        )
    report.uncharted = [(row["instrument"], row["label"]) for row in select_rows(store, UNCHARTED)]
    for what, query in GAPS.items():
        rows = select_rows(store, query)
        report.gaps[what] = int(rows[0]["n"]) if rows else 0
        if rows and rows[0].get("which"):
            report.gap_members[what] = rows[0]["which"]
    return report
