"""The facts the pathway rules reason over, fetched with SPARQL from the store.

Static facts (instruments, vocabularies, precedence, channels, mandates) are read once per
store; the facts of the two jurisdictions asked about are read per question, bound through
substitutions. Every fact keeps its source and snapshot date, so reasons can cite them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox

from ..intervals import INTERVAL, day_of
from ..store import Store, select_rows

P = """
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@dataclass(frozen=True)
class Source:
    iri: str
    title: str
    snapshot: date | None
    kind: str | None = None  # the source kind's key (official, news, secondary…): news stays news

    def described(self) -> str:
        """The source's kind in words where it is not the authority's own (official)."""
        return "" if self.kind in (None, "official") else self.kind.replace("-", " ")


@dataclass(frozen=True)
class Point:
    """A point in time as precisely as a source gives it."""

    value: date | None = None
    year: int | None = None
    not_later_than: date | None = None
    not_earlier_than: date | None = None

    def on_or_before(self, day: date) -> bool | None:
        """Whether this point is on or before ``day``; None when the source cannot tell."""
        if self.value is not None:
            return self.value <= day
        if self.year is not None:
            return self.year <= day.year
        if self.not_earlier_than is not None and day < self.not_earlier_than:
            return False
        if self.not_later_than is not None and self.not_later_than <= day:
            return True
        return None

    def on_or_after(self, day: date) -> bool | None:
        """Whether this point (an end) is on or after ``day``; None when the source cannot tell
        (an end known only as 'not earlier than' a day before ``day``)."""
        if self.value is not None:
            return self.value >= day
        if self.year is not None:
            return self.year >= day.year
        if self.not_earlier_than is not None and self.not_later_than is None and day > self.not_earlier_than:
            return None
        return True

    def text(self) -> str:
        if self.value is not None:
            return self.value.isoformat()
        if self.year is not None:
            return str(self.year)
        if self.not_later_than is not None and self.not_earlier_than is not None:
            return f"between {self.not_earlier_than.isoformat()} and {self.not_later_than.isoformat()}"
        if self.not_later_than is not None:
            return f"no later than {self.not_later_than.isoformat()}"
        if self.not_earlier_than is not None:
            return f"after {self.not_earlier_than.isoformat()} (the exact date is not in the sources)"
        return "a date not in the sources"


@dataclass(frozen=True)
class Fact:
    """One n-ary fact: its IRI, a label, and where it comes from."""

    iri: str
    label: str
    source: Source


@dataclass(frozen=True)
class Action:
    fact: Fact
    instrument: str
    party: str
    action_type: str  # key of the action type, e.g. ratification
    consent: bool
    day: date
    in_force: date | None


@dataclass(frozen=True)
class Binding:
    """A derived statement from graph/derived: whether ``party`` is bound, when, by which rule
    and from which premises (build/derive.py computes them; the engine only reads them)."""

    iri: str
    instrument: str
    party: str
    bound: bool
    start: Point
    end: Point | None
    rule: Fact  # the derivation rule, with its source
    premises: tuple[Fact, ...]
    presumed: bool
    through: str | None
    text: str


@dataclass(frozen=True)
class Statement:
    fact: Fact
    instrument: str
    party: str
    kind: str
    text: str
    day: date | None
    withdrawn: date | None
    targets: tuple[str, ...]
    measures: tuple[str, ...]  # measures of the targeted provisions, and limited/accepted ones
    accepts: tuple[str, ...]
    objects_to: tuple[str, ...] = ()  # for an objection: the jurisdictions whose statement it opposes


@dataclass(frozen=True)
class Membership:
    fact: Fact
    organization: str
    member: str  # the jurisdiction (directly, or the one its authority serves)
    via: str | None  # the authority's label when membership is through an FIU etc.
    role: str
    start: Point
    end: Point | None
    agreement: Fact | None = None  # the agreement a derived partnership rests on (build/partners.py)
    comment: str | None = None  # why, as the derivation says it (a derived membership's rdfs:comment)


@dataclass(frozen=True)
class Provision:
    """An article that provides measures, with how strongly it grounds them."""

    fact: Fact
    article: str
    measures: tuple[str, ...]
    strength: str | None  # obligation, permission, consider, or None (procedural articles)


@dataclass
class Instrument:
    iri: str
    label: str
    kinds: set[str] = field(default_factory=set)
    measures: set[str] = field(default_factory=set)
    crime_areas: set[str] = field(default_factory=set)
    parent: str | None = None
    depositary: str | None = None
    provisions: list[Provision] = field(default_factory=list)
    founds_body: bool = (
        False  # the legal basis of a body (INTERPOL's Constitution): a channel, not a request basis
    )
    partners: set[str] = field(default_factory=set)  # a treaty closed to others: its partners
    territories: set[str] = field(default_factory=set)  # where it applies only there, on a partner's side
    amends: set[str] = field(default_factory=set)  # instruments it amends, supplements or implements
    not_in_force: Fact | None = (
        None  # a depositary statement of signatories and no party, no entry into force
    )
    eif_rule: str = ""  # the entry-into-force article, in the words data/provisions.csv gives it
    #: its party facts come only from parts of charts (no source states the chart's total), so a
    #: state missing from them is not known to be outside the treaty
    partial_table: bool = False
    #: a convention whose party table is not in the sources at all: no treaty action, no binding
    uncharted: bool = False


@dataclass(frozen=True)
class Precedence:
    fact: Fact
    prevailing: str
    displaced: tuple[str, ...]
    measures: tuple[str, ...]
    provision: str


@dataclass(frozen=True)
class Channel:
    fact: Fact
    operator: str
    measures: tuple[str, ...]
    personal_data: bool | None
    #: the channel rests on an EU act between member states (the EAW Framework Decision's art.
    #: 16(2) for Eurojust's advice): a third state's partnership by agreement does not reach it
    member_states_only: bool = False


@dataclass(frozen=True)
class Mandate:
    fact: Fact
    organization: str
    crime_area: str
    start: Point | None
    end: Point | None


@dataclass(frozen=True)
class Designation:
    """A state's designation, under its own law, of a jurisdiction it may extradite to."""

    fact: Fact
    by: str
    designated: str
    measures: tuple[str, ...]
    law: str
    start: Point | None


@dataclass(frozen=True)
class Agreement:
    fact: Fact
    body: str
    partner: str
    kind: str
    personal_data: bool | None
    signed: Point | None = None
    in_force: date | None = None


def _signed(row: dict[str, str]) -> Point | None:
    """A signature as precisely as the source gives it: a day, a month, a year, or 'by' a day."""
    value = row.get("signed", "")
    if len(value) == 10:
        return Point(value=day_of(value))
    if len(value) == 4:
        return Point(year=int(value))
    if len(value) == 7:
        first = date(int(value[:4]), int(value[5:]), 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return Point(not_earlier_than=first, not_later_than=last)
    if "signedNlt" in row:
        return Point(not_later_than=day_of(row["signedNlt"]))
    return None


def _rows(
    store: Store, query: str, substitutions: dict[str, ox.NamedNode] | None = None
) -> list[dict[str, str]]:
    return select_rows(store, P + query, substitutions)


def _point(row: dict[str, str], prefix: str) -> Point | None:
    if f"{prefix}Date" in row:
        return Point(value=day_of(row[f"{prefix}Date"]))
    if f"{prefix}Year" in row:
        return Point(year=int(row[f"{prefix}Year"][:4]))
    if f"{prefix}Nlt" in row or f"{prefix}Net" in row:
        return Point(
            not_later_than=day_of(row.get(f"{prefix}Nlt")), not_earlier_than=day_of(row.get(f"{prefix}Net"))
        )
    return None


_SOURCE = (
    "?fact prov:wasDerivedFrom ?src . ?src dcterms:title ?srcTitle . OPTIONAL { ?src tfkg:snapshotDate ?snapshot } "
    "OPTIONAL { ?src tfkg:sourceKind ?srcKind }"
)


def _kind(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


def _agreement(row: dict[str, str]) -> Fact | None:
    """The agreement a derived partnership rests on, with its own source."""
    if "agreement" not in row:
        return None
    source = Source(
        row["agreementSrc"],
        row["agreementSrcTitle"],
        day_of(row.get("agreementSnapshot")),
        _kind(row.get("agreementSrcKind")),
    )
    return Fact(row["agreement"], row["agreementLabel"], source)


def _fact(row: dict[str, str], label: str = "") -> Fact:
    return Fact(
        row["fact"],
        row.get("label", label),
        Source(row["src"], row["srcTitle"], day_of(row.get("snapshot")), _kind(row.get("srcKind"))),
    )


@dataclass
class StaticFacts:
    """What does not depend on the question: read once per store."""

    labels: dict[str, str]
    instruments: dict[str, Instrument]
    broader: dict[str, set[str]]  # concept → its broader concepts (transitively)
    precedence: list[Precedence]
    channels: list[Channel]
    mandates: list[Mandate]
    coverage: dict[str, date]  # instrument → the latest snapshot its treaty actions come from
    designations: list[Designation] = field(default_factory=list)

    def ancestors(self, concept: str) -> set[str]:
        return {concept} | self.broader.get(concept, set())

    def descendants(self, concept: str) -> set[str]:
        return {c for c, up in self.broader.items() if concept in up}


def static_facts(store: Store) -> StaticFacts:
    labels = {
        r["s"]: r["l"]
        for r in _rows(store, "SELECT ?s ?l WHERE { { ?s rdfs:label ?l } UNION { ?s skos:prefLabel ?l } }")
    }
    broader: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, "SELECT ?c ?b WHERE { ?c skos:broader+ ?b }"):
        broader[r["c"]].add(r["b"])
    instruments: dict[str, Instrument] = {}
    for r in _rows(
        store,
        """SELECT ?i ?kind ?m ?c ?parent ?depositary WHERE {
             ?i a ?kind . ?kind rdfs:subClassOf* tfkg:LegalInstrument .
             OPTIONAL { ?i tfkg:providesMeasure ?m } OPTIONAL { ?i tfkg:crimeArea ?c }
             OPTIONAL { ?i tfkg:supplements ?parent } OPTIONAL { ?i tfkg:depositary ?depositary } }""",
    ):
        item = instruments.setdefault(r["i"], Instrument(r["i"], labels.get(r["i"], r["i"])))
        item.kinds.add(r["kind"].rsplit("#", 1)[-1])
        if "m" in r:
            item.measures.add(r["m"])
        if "c" in r:
            item.crime_areas.add(r["c"])
        item.parent = r.get("parent", item.parent)
        item.depositary = r.get("depositary", item.depositary)
    for r in _rows(
        store,
        f"""SELECT ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?i ?article ?strength
              (GROUP_CONCAT(DISTINCT COALESCE(STR(?m), "")) AS ?measures) WHERE {{
            ?fact tfkg:provisionOf ?i ; tfkg:articleNumber ?article ; tfkg:providesMeasure ?m .
            OPTIONAL {{ ?fact tfkg:strength ?strength }} OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE} }}
            GROUP BY ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?i ?article ?strength""",
    ):
        if r["i"] in instruments:
            strength = r["strength"].rsplit("/", 1)[-1] if "strength" in r else None
            provision = Provision(_fact(r), r["article"], tuple(r["measures"].split()), strength)
            instruments[r["i"]].provisions.append(provision)
    for r in _rows(
        store,
        """SELECT ?i ?p ?o WHERE { VALUES ?p { tfkg:treatyPartner tfkg:territorialScope tfkg:amends tfkg:implements }
             ?i ?p ?o }""",
    ):
        if r["i"] in instruments:
            item = instruments[r["i"]]
            field_of = {"treatyPartner": item.partners, "territorialScope": item.territories}
            field_of.get(r["p"].rsplit("#", 1)[-1], item.amends).add(r["o"])
    for r in _rows(
        store,
        f"""SELECT ?i ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?article ?words WHERE {{
              ?fact a tfkg:DepositaryStatus ; tfkg:instrument ?i ; tfkg:statedSignatories ?signatories .
              FILTER NOT EXISTS {{ ?fact tfkg:statedParties ?parties }}
              FILTER NOT EXISTS {{ ?i tfkg:entryIntoForce ?eif }}
              OPTIONAL {{ ?i tfkg:entryIntoForceProvision ?p . ?p tfkg:articleNumber ?article ; rdfs:label ?words }}
              OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE} }}""",
    ):
        # Signed, and not in force: the depositary counts signatories and states no party.
        if r["i"] in instruments:
            instruments[r["i"]].not_in_force = _fact(r)
            if "article" in r:
                instruments[r["i"]].eif_rule = f"art. {r['article']}: {r['words']}"
    partial = _rows(
        store,
        # A Council of Europe chart counts as whole only where a source of its rows also states
        # the chart's total (coverage.py's CHARTS says the same in the report).
        """SELECT DISTINCT ?i WHERE {
             ?i tfkg:cetsNumber ?number . ?a a tfkg:TreatyAction ; tfkg:instrument ?i .
             FILTER NOT EXISTS {
               ?b a tfkg:TreatyAction ; tfkg:instrument ?i ; prov:wasDerivedFrom ?source .
               ?status a tfkg:DepositaryStatus ; tfkg:instrument ?i ; tfkg:statedParties ?total ;
                       prov:wasDerivedFrom ?source } }""",
    )
    for r in partial:
        if r["i"] in instruments:
            instruments[r["i"]].partial_table = True
    uncharted = _rows(
        store,
        # No row of any party table and no derived binding: silence about a party is then the
        # sources' silence, not a statement that it is not bound (coverage.py's UNCHARTED).
        """SELECT DISTINCT ?i WHERE {
             ?i a/rdfs:subClassOf* tfkg:MultilateralTreaty .
             FILTER NOT EXISTS { ?a a tfkg:TreatyAction ; tfkg:instrument ?i }
             FILTER NOT EXISTS { ?b a tfkg:Binding ; tfkg:instrument ?i } }""",
    )
    for r in uncharted:
        if r["i"] in instruments:
            instruments[r["i"]].uncharted = True
    founding = {r["i"] for r in _rows(store, "SELECT DISTINCT ?i WHERE { ?body tfkg:legalBasis ?i }")}
    for iri in founding & instruments.keys():
        instruments[iri].founds_body = True
    precedence = [
        Precedence(
            _fact(r),
            r["prevailing"],
            tuple(r["displaced"].split()),
            tuple(r.get("measures", "").split()),
            r.get("provision", ""),
        )
        for r in _rows(
            store,
            f"""SELECT ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?prevailing ?provision
                  (GROUP_CONCAT(DISTINCT COALESCE(STR(?d), "")) AS ?displaced) (GROUP_CONCAT(DISTINCT COALESCE(STR(?m), "")) AS ?measures) WHERE {{
                ?fact a tfkg:PrecedenceRule ; tfkg:prevailingInstrument ?prevailing ; tfkg:displacedInstrument ?d .
                OPTIONAL {{ ?fact tfkg:forMeasure ?m }} OPTIONAL {{ ?fact tfkg:precedenceProvision ?provision }}
                OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE} }}
                GROUP BY ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?prevailing ?provision""",
        )
    ]
    channels = [
        Channel(
            _fact(r),
            r["operator"],
            tuple(r["measures"].split()),
            None if "pd" not in r else r["pd"] == "true",
            "eu" in r,
        )
        for r in _rows(
            store,
            f"""SELECT ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?operator ?pd ?eu (GROUP_CONCAT(DISTINCT COALESCE(STR(?m), "")) AS ?measures) WHERE {{
                ?fact a tfkg:CooperationChannel ; tfkg:operatedBy ?operator ; tfkg:providesMeasure ?m .
                OPTIONAL {{ ?fact tfkg:allowsPersonalData ?pd }} OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE}
                OPTIONAL {{ ?fact tfkg:recognisedBy ?act . ?act a/rdfs:subClassOf* tfkg:EUAct .
                           FILTER NOT EXISTS {{ ?act a tfkg:EURegulation }} BIND(true AS ?eu) }} }}
                GROUP BY ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?operator ?pd ?eu""",
        )
    ]
    mandates = [
        Mandate(_fact(r), r["org"], r["area"], _point(r, "start"), _point(r, "end"))
        for r in _rows(
            store,
            f"""SELECT * WHERE {{ ?fact a tfkg:Mandate ; tfkg:mandateOf ?org ; tfkg:crimeArea ?area .
                OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE}
                OPTIONAL {{ ?fact tfkg:validDuring ?iv . {INTERVAL.format(v="iv")} }} }}""",
        )
    ]
    designations = [
        Designation(
            _fact(r), r["by"], r["designated"], tuple(r["measures"].split()), r["law"], _point(r, "start")
        )
        for r in _rows(
            store,
            f"""SELECT ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?by ?designated ?law ?startDate ?startYear
                  ?startNlt ?startNet (GROUP_CONCAT(DISTINCT STR(?m)) AS ?measures) WHERE {{
                ?fact a tfkg:ExtraditionDesignation ; tfkg:designatedBy ?by ; tfkg:designates ?designated ;
                      tfkg:underLaw ?law ; tfkg:providesMeasure ?m .
                OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE}
                OPTIONAL {{ ?fact tfkg:validDuring ?iv . {INTERVAL.format(v="iv")} }} }}
                GROUP BY ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?by ?designated ?law ?startDate ?startYear
                  ?startNlt ?startNet""",
        )
    ]
    coverage = {
        r["i"]: date.fromisoformat(r["latest"])
        for r in _rows(
            store,
            # A party table is made of consents: a lone territorial extension is no table, and
            # neither is a source that gives one state's consent (Germany's UNCAC ratification, a
            # hand row): it dates that state's status, not everyone else's.
            """SELECT ?i (MAX(?snapshot) AS ?latest) WHERE {
                 { SELECT ?i ?src (COUNT(DISTINCT ?p) AS ?n) WHERE {
                     ?a a tfkg:TreatyAction ; tfkg:instrument ?i ; tfkg:party ?p ; prov:wasDerivedFrom ?src ;
                        tfkg:actionType/skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> }
                   GROUP BY ?i ?src }
                 FILTER(?n > 1)
                 ?src tfkg:snapshotDate ?snapshot }
               GROUP BY ?i""",
        )
        if "latest" in r
    }
    return StaticFacts(
        dict(labels), instruments, dict(broader), precedence, channels, mandates, coverage, designations
    )


@dataclass
class PartyFacts:
    """What the question's two jurisdictions did and belong to."""

    actions: list[Action]
    bindings: list[Binding]
    statements: list[Statement]
    memberships: list[Membership]
    agreements: list[Agreement]


def party_facts(store: Store, parties: tuple[str, ...]) -> PartyFacts:
    values = " ".join(f"<{p}>" for p in parties)
    actions = [
        Action(
            _fact(r),
            r["instrument"],
            r["party"],
            r["type"].rsplit("/", 1)[-1],
            "consent" in r,
            date.fromisoformat(r["day"]),
            day_of(r.get("inForce")),
        )
        for r in _rows(
            store,
            f"""SELECT * WHERE {{ VALUES ?party {{ {values} }}
                ?fact a tfkg:TreatyAction ; tfkg:party ?party ; tfkg:instrument ?instrument ;
                      tfkg:actionType ?type ; tfkg:actionDate ?day .
                OPTIONAL {{ ?fact tfkg:entryIntoForceForParty ?inForce }}
                OPTIONAL {{ ?type skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> BIND(true AS ?consent) }}
                OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE} }}""",
        )
    ]
    bindings = _bindings(store, values)
    statements = [
        Statement(
            _fact(r),
            r["instrument"],
            r["party"],
            r["kind"].rsplit("#", 1)[-1].lower(),
            r.get("text", ""),
            day_of(r.get("day")),
            day_of(r.get("withdrawn")),
            tuple(r.get("targets", "").split()),
            tuple(r.get("measures", "").split()),
            tuple(r.get("accepts", "").split()),
            tuple(r.get("objectsTo", "").split()),
        )
        for r in _rows(
            store,
            f"""SELECT ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?instrument ?party ?kind ?text ?day ?withdrawn
                  (GROUP_CONCAT(DISTINCT COALESCE(STR(?t), "")) AS ?targets) (GROUP_CONCAT(DISTINCT COALESCE(STR(?m), "")) AS ?measures)
                  (GROUP_CONCAT(DISTINCT COALESCE(STR(?a), "")) AS ?accepts) (GROUP_CONCAT(DISTINCT COALESCE(STR(?o), "")) AS ?objectsTo) WHERE {{
                VALUES ?party {{ {values} }}
                VALUES ?kind {{ tfkg:Reservation tfkg:Declaration tfkg:Notification tfkg:Objection }}
                ?fact a ?kind ; tfkg:party ?party ; tfkg:instrument ?instrument .
                OPTIONAL {{ ?fact tfkg:statementText ?text }} OPTIONAL {{ ?fact tfkg:actionDate ?day }}
                OPTIONAL {{ ?fact tfkg:withdrawnOn ?withdrawn }}
                OPTIONAL {{ ?fact tfkg:targetsProvision ?t . OPTIONAL {{ ?t tfkg:providesMeasure ?m }} }}
                OPTIONAL {{ ?fact tfkg:limitsMeasure ?m }}
                OPTIONAL {{ ?fact tfkg:acceptsAsLegalBasisFor ?a }} OPTIONAL {{ ?fact tfkg:objectsTo ?o }}
                OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE} }}
                GROUP BY ?fact ?label ?src ?srcTitle ?snapshot ?srcKind ?instrument ?party ?kind ?text ?day ?withdrawn""",
        )
    ]
    memberships = [
        Membership(
            _fact(r),
            r["org"],
            r["party"],
            r.get("viaLabel"),
            r["role"].rsplit("/", 1)[-1],
            _point(r, "start") or Point(),
            _point(r, "end"),
            _agreement(r),
            r.get("why"),
        )
        for r in _rows(
            store,
            f"""SELECT * WHERE {{ VALUES ?party {{ {values} }}
                {{ ?fact org:member ?party }} UNION {{ ?fact org:member ?via . ?via tfkg:servesJurisdiction ?party ; rdfs:label ?viaLabel }}
                UNION {{
                  # a territory is served through its state's membership (INTERPOL's bureau of China
                  # covers Hong Kong); of an EU body (founded by an EU act) only where EU law applies there (outermost regions,
                  # European territories such as Gibraltar), and as a member state: a third state's
                  # partnership by its own agreement (the UK's since 2021) does not reach them
                  ?party tfkg:partOf ?via . ?via rdfs:label ?viaLabel . ?fact org:member ?via ; org:organization ?o .
                  FILTER (?o != <https://w3id.org/tfkg/id/organization/european-union>)
                  FILTER (NOT EXISTS {{ ?o tfkg:legalBasis ?act . ?act a/rdfs:subClassOf* tfkg:EUAct }}
                          || (EXISTS {{ ?rule tfkg:ruleKind ?eu_law ; tfkg:party ?party
                                        FILTER (?eu_law IN ("outermost-region", "european-territory")) }}
                              && NOT EXISTS {{ ?fact org:role <https://w3id.org/tfkg/id/role/partner> }}))
                }}
                VALUES ?membership {{ tfkg:Membership tfkg:DerivedMembership }}
                ?fact a ?membership ; org:organization ?org ; org:role ?role .
                OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE}
                OPTIONAL {{ ?fact a tfkg:DerivedMembership ; rdfs:comment ?why }}
                OPTIONAL {{ ?fact a tfkg:DerivedMembership ; prov:wasDerivedFrom ?agreement .
                           ?agreement tfkg:agreementType ?agreementType ; rdfs:label ?agreementLabel ;
                                      prov:wasDerivedFrom ?agreementSrc .
                           ?agreementSrc dcterms:title ?agreementSrcTitle .
                           OPTIONAL {{ ?agreementSrc tfkg:snapshotDate ?agreementSnapshot }}
                           OPTIONAL {{ ?agreementSrc tfkg:sourceKind ?agreementSrcKind }} }}
                OPTIONAL {{ ?fact org:memberDuring ?iv . {INTERVAL.format(v="iv")} }} }}""",
        )
    ]
    agreements = [
        Agreement(
            _fact(r),
            r["body"],
            r["partner"],
            r["type"].rsplit("/", 1)[-1],
            None if "pd" not in r else r["pd"] == "true",
            _signed(r),
            day_of(r.get("inForce")),
        )
        for r in _rows(
            store,
            f"""SELECT * WHERE {{ VALUES ?partner {{ {values} }}
                ?fact tfkg:agreementParty ?partner, ?body ; tfkg:agreementType ?type .
                FILTER EXISTS {{ ?fact a/rdfs:subClassOf* tfkg:CooperationAgreement }} FILTER (?body != ?partner)
                OPTIONAL {{ ?fact tfkg:allowsPersonalData ?pd }} OPTIONAL {{ ?fact rdfs:label ?label }}
                OPTIONAL {{ ?fact tfkg:signatureDate ?signedLiteral BIND (STR(?signedLiteral) AS ?signed) }}
                OPTIONAL {{ ?fact tfkg:signatureNotLaterThan ?signedNlt }}
                OPTIONAL {{ ?fact tfkg:entryIntoForce ?inForce }} {_SOURCE} }}""",
        )
    ]
    return PartyFacts(actions, bindings, statements, memberships, agreements)


def _bindings(store: Store, values: str) -> list[Binding]:
    """The derived bindings of the parties, with their rule and premises (each with its source)."""
    heads = _rows(
        store,
        f"""SELECT * WHERE {{ VALUES ?party {{ {values} }}
            ?fact a tfkg:Binding ; tfkg:party ?party ; tfkg:instrument ?instrument ; tfkg:bound ?bound ;
                  tfkg:derivedBy ?rule ; rdfs:comment ?text .
            ?rule rdfs:label ?ruleLabel ; prov:wasDerivedFrom ?ruleSrc . ?ruleSrc dcterms:title ?ruleSrcTitle .
            OPTIONAL {{ ?ruleSrc tfkg:snapshotDate ?ruleSnapshot }}
            OPTIONAL {{ ?fact tfkg:presumed ?presumed }} OPTIONAL {{ ?fact tfkg:through ?through }}
            OPTIONAL {{ ?fact tfkg:validDuring ?iv . {INTERVAL.format(v="iv")} }} }}""",
    )
    premises: dict[str, list[Fact]] = defaultdict(list)
    for r in _rows(
        store,
        f"""SELECT ?binding ?fact ?label ?src ?srcTitle ?snapshot ?srcKind WHERE {{ VALUES ?party {{ {values} }}
            ?binding a tfkg:Binding ; tfkg:party ?party ; prov:wasDerivedFrom ?fact .
            FILTER NOT EXISTS {{ ?fact a tfkg:DerivationRule }}
            OPTIONAL {{ ?fact rdfs:label ?label }} {_SOURCE} }}""",
    ):
        premises[r["binding"]].append(_fact(r))
    return [
        Binding(
            r["fact"],
            r["instrument"],
            r["party"],
            r["bound"] == "true",
            _point(r, "start") or Point(),
            _point(r, "end"),
            Fact(
                r["rule"],
                r["ruleLabel"],
                Source(r["ruleSrc"], r["ruleSrcTitle"], day_of(r.get("ruleSnapshot"))),
            ),
            tuple(sorted(premises[r["fact"]], key=lambda f: f.iri)),
            r.get("presumed") == "true",
            r.get("through"),
            r["text"],
        )
        for r in heads
    ]
