"""data/ tables → RDF quads, one named graph per source.

Each table kind has one function that turns a row into triples. References are checked
against what the tables and vocabularies define, and every problem is collected with its
file and line, so a curator sees all of them at once instead of one per run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from ..namespaces import DCTERMS, GRAPH, ID, ORG, TFKG
from ..tables import COLUMNS, Row, read_table, table_kind
from . import mint
from .mint import CellError

JURISDICTION_KINDS = {
    "state": TFKG.State,
    "territory": TFKG.Territory,
    "regional-organization": TFKG.RegionalIntegrationOrganization,
    "jurisdiction": TFKG.Jurisdiction,
}
INSTRUMENT_KINDS = {
    "multilateral-treaty": TFKG.MultilateralTreaty,
    "protocol": TFKG.Protocol,
    "bilateral-treaty": TFKG.BilateralTreaty,
    "eu-third-country-agreement": TFKG.EUThirdCountryAgreement,
    "eu-regulation": TFKG.EURegulation,
    "eu-directive": TFKG.EUDirective,
    "eu-framework-decision": TFKG.EUFrameworkDecision,
    "eu-decision": TFKG.EUDecision,
    "eu-joint-action": TFKG.EUJointAction,
    "eu-convention": TFKG.EUConvention,
    "cooperation-agreement": TFKG.CooperationAgreement,
    "working-arrangement": TFKG.WorkingArrangement,
    "policy-decision": TFKG.PolicyDecision,
}
ORGANIZATION_KINDS = {
    "international-organization": TFKG.InternationalOrganization,
    "eu-agency": TFKG.EUAgency,
    "regional-police-organization": TFKG.RegionalPoliceOrganization,
    "operational-platform": TFKG.OperationalPlatform,
    "network": TFKG.Network,
    "standard-setter": TFKG.StandardSetter,
}
AUTHORITY_KINDS = {"fiu": TFKG.FinancialIntelligenceUnit, "authority": TFKG.NationalAuthority}
STATEMENT_KINDS = {
    "reservation": TFKG.Reservation,
    "declaration": TFKG.Declaration,
    "notification": TFKG.Notification,
    "objection": TFKG.Objection,
}
_PROVISION_KEY = re.compile(r"^(?P<instrument>.+)-art-(?P<article>\d+[a-z]?)(?:-(?P<paragraph>\d+))?$")
SOURCES_GRAPH = GRAPH["sources"]


@dataclass(frozen=True)
class Problem:
    """A row that breaks a rule: file:line, the rule, and what to do."""

    where: str
    message: str

    def describe(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Conversion:
    """The state of one build: the dataset being filled, what is defined, what went wrong."""

    dataset: Dataset
    concepts: set[URIRef]
    problems: list[Problem] = field(default_factory=list)
    defined: set[URIRef] = field(default_factory=set)
    sources: dict[str, URIRef] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # subject IRI → file:line
    pending: list[tuple[URIRef, Row]] = field(default_factory=list)  # references to check
    labels: dict[URIRef, str] = field(default_factory=dict)
    action_sources: dict[URIRef, str] = field(default_factory=dict)  # treaty action IRI → its source key

    def problem(self, row: Row, message: str) -> None:
        self.problems.append(Problem(row.where(), message))

    def add(self, graph: URIRef, triples: Iterable[tuple[URIRef, URIRef, object]]) -> None:
        context = self.dataset.graph(graph)
        for s, p, o in triples:
            context.add((s, p, o))  # type: ignore[arg-type]

    def ref(self, row: Row, value: str, allowed: frozenset[str] | None = None) -> URIRef | None:
        """A checked reference: its IRI, remembered so that it is resolved at the end."""
        try:
            iri = mint.reference(value, allowed)
        except CellError as error:
            self.problem(row, str(error))
            return None
        self.pending.append((iri, row))
        return iri

    def refs(self, row: Row, cell: str, allowed: frozenset[str] | None = None) -> list[URIRef]:
        return [iri for part in cell.split() if (iri := self.ref(row, part, allowed)) is not None]


def _parse(conversion: Conversion, row: Row, parse: Callable[[str], Literal], value: str) -> Literal | None:
    try:
        return parse(value)
    except CellError as error:
        conversion.problem(row, str(error))
        return None


def _source(conversion: Conversion, row: Row) -> URIRef | None:
    key = row["source"]
    if key not in conversion.sources:
        conversion.problem(
            row, f"source {key!r} is not a key of data/sources.csv; add the source there first"
        )
        return None
    return mint.graph_of(key)


def _fact(
    conversion: Conversion, row: Row, subject: URIRef, kind: URIRef, label: str | None = None
) -> URIRef | None:
    """The triples every fact carries: type, provenance, locator, label. Returns its graph."""
    graph = _source(conversion, row)
    if graph is None:
        return None
    if subject in conversion.defined and str(subject) in conversion.origins:
        conversion.problem(row, f"{subject} is already defined at {conversion.origins[str(subject)]}")
        return None
    conversion.defined.add(subject)
    conversion.origins[str(subject)] = row.where()
    triples: list[tuple[URIRef, URIRef, object]] = [
        (subject, RDF.type, kind),
        (subject, PROV.wasDerivedFrom, conversion.sources[row["source"]]),
    ]
    if row["locator"]:
        triples.append((subject, TFKG.sourceLocator, Literal(row["locator"])))
    if label:
        triples.append((subject, RDFS.label, Literal(label, lang="en")))
        conversion.labels[subject] = label
    conversion.add(graph, triples)
    return graph


def _interval(
    conversion: Conversion, row: Row, owner: URIRef, start: str, end: str
) -> tuple[URIRef, list[tuple[URIRef, URIRef, object]]] | None:
    """An OWL-Time interval for a fact, with instants that say how precisely each end is known."""
    if not start:
        return None
    interval = URIRef(f"{owner}#during")
    triples: list[tuple[URIRef, URIRef, object]] = [(interval, RDF.type, TIME.Interval)]
    for predicate, value, suffix in ((TIME.hasBeginning, start, "start"), (TIME.hasEnd, end, "end")):
        if not value:
            continue
        try:
            precision, literal = mint.point_in_time(value)
        except CellError as error:
            conversion.problem(row, str(error))
            continue
        instant = URIRef(f"{owner}#{suffix}")
        position = {
            mint.EXACT: TIME.inXSDDate,
            mint.YEAR: TIME.inXSDgYear,
            mint.NOT_LATER_THAN: TFKG.notLaterThan,
            mint.NOT_EARLIER_THAN: TFKG.notEarlierThan,
        }
        triples += [
            (interval, predicate, instant),
            (instant, RDF.type, TIME.Instant),
            (instant, position[precision], literal),
        ]
    return interval, triples


def _entity_fact(
    conversion: Conversion, row: Row, entity: str, kinds: dict[str, URIRef]
) -> tuple[URIRef, URIRef | None]:
    """An entity row's IRI and graph: its `kind` column picks the class (a problem if unknown)."""
    subject = mint.entity(entity, row["key"])
    kind = kinds.get(row["kind"])
    if kind is None:
        conversion.problem(row, f"kind {row['kind']!r} is not one of {', '.join(kinds)}")
        return subject, None
    return subject, _fact(conversion, row, subject, kind, row["label"])


# --- one function per table kind -------------------------------------------------------------


def sources(conversion: Conversion, row: Row) -> None:
    subject = mint.entity("source", row["key"])
    conversion.sources[row["key"]] = subject
    conversion.origins[str(subject)] = row.where()
    triples: list[tuple[URIRef, URIRef, object]] = [
        (subject, RDF.type, TFKG.Source),
        (subject, DCTERMS.title, Literal(row["title"])),
        (subject, RDFS.label, Literal(row["title"], lang="en")),
        (subject, TFKG.retrievalMethod, Literal(row["retrieval_method"])),
    ]
    if row["publisher"]:
        triples.append((subject, DCTERMS.publisher, Literal(row["publisher"])))
    if not row["kind"]:
        conversion.problem(row, "a source needs its kind: source-kind/… (ontology/vocab/source-kinds.ttl)")
    elif kind := conversion.ref(row, row["kind"], frozenset({"source-kind"})):
        triples.append((subject, TFKG.sourceKind, kind))
    try:
        triples.append((subject, TFKG.authorityPage, mint.web_iri(row["authority_url"])))
    except CellError as error:
        conversion.problem(row, f"authority_url: {error}")
    try:
        snapshot = mint.period(row["snapshot_date"])
    except CellError as error:
        conversion.problem(row, f"snapshot_date: {error}")
    else:
        # Every snapshot has one xsd:date, so snapshots sort and compare with any other date;
        # a month or a year is its first day (staleness is never understated), and the
        # period as the source gives it is kept beside it.
        triples.append((subject, TFKG.snapshotDate, mint.day(snapshot.first.isoformat())))
        if not snapshot.is_day:
            triples.append((subject, TFKG.snapshotPeriod, snapshot.literal))
    conversion.add(SOURCES_GRAPH, triples)


def jurisdictions(conversion: Conversion, row: Row) -> None:
    subject, graph = _entity_fact(conversion, row, "jurisdiction", JURISDICTION_KINDS)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    for column, predicate in (
        ("iso_alpha2", TFKG.isoAlpha2),
        ("iso_alpha3", TFKG.isoAlpha3),
        ("iso_numeric", TFKG.isoNumeric),
    ):
        if row[column]:
            triples.append((subject, predicate, Literal(row[column])))
    if row["part_of"] and (state := conversion.ref(row, row["part_of"], frozenset({"jurisdiction"}))):
        triples.append((subject, TFKG.partOf, state))
    conversion.add(graph, triples)


def instruments(conversion: Conversion, row: Row) -> None:
    subject, graph = _entity_fact(conversion, row, "instrument", INSTRUMENT_KINDS)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    if row["short_name"]:
        triples.append((subject, SKOS.altLabel, Literal(row["short_name"], lang="en")))
    for column, predicate in (("adopted", TFKG.adoptionDate), ("entry_into_force", TFKG.entryIntoForce)):
        if row[column] and (value := _parse(conversion, row, mint.day, row[column])) is not None:
            triples.append((subject, predicate, value))
    if row["days_to_eif_for_party"] and (
        days := _parse(conversion, row, mint.count, row["days_to_eif_for_party"])
    ):
        triples.append((subject, TFKG.daysToEntryIntoForceForParty, days))
    if row["months_to_eif_for_party"] and (
        months := _parse(conversion, row, mint.count, row["months_to_eif_for_party"])
    ):
        triples.append((subject, TFKG.monthsToEntryIntoForceForParty, months))
    for column, predicate, kinds in (
        ("eif_provision", TFKG.entryIntoForceProvision, {"provision"}),
        ("supplements", TFKG.supplements, {"instrument"}),
        ("depositary", TFKG.depositary, {"organization"}),
    ):
        if row[column] and (target := conversion.ref(row, row[column], frozenset(kinds))):
            triples.append((subject, predicate, target))
    for column, predicate in (
        ("untc_reference", TFKG.untcReference),
        ("cets_number", TFKG.cetsNumber),
        ("celex", TFKG.celexNumber),
    ):
        if row[column]:
            triples.append((subject, predicate, Literal(row[column])))
            triples.append((subject, DCTERMS.identifier, Literal(row[column])))
    if row["eli"]:
        triples.append((subject, OWL.sameAs, mint.web_iri(row["eli"])))
    if row["wikidata"]:
        triples.append((subject, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{row['wikidata']}")))
    triples += [
        (subject, TFKG.crimeArea, c)
        for c in conversion.refs(row, row["crime_areas"], frozenset({"crime-area"}))
    ]
    triples += [
        (subject, TFKG.providesMeasure, m)
        for m in conversion.refs(row, row["measures"], frozenset({"measure"}))
    ]
    conversion.add(graph, triples)


def depositary_status(conversion: Conversion, row: Row) -> None:
    instrument = conversion.ref(row, row["instrument"], frozenset({"instrument"}))
    if instrument is None:
        return
    subject = mint.entity("status", f"{row['instrument'].removeprefix('instrument/')}/{row['source']}")
    graph = _fact(
        conversion,
        row,
        subject,
        TFKG.DepositaryStatus,
        f"Depositary status of {row['instrument']} ({row['source']})",
    )
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = [(subject, TFKG.instrument, instrument)]
    for column, predicate in (("parties", TFKG.statedParties), ("signatories", TFKG.statedSignatories)):
        if row[column] and (value := _parse(conversion, row, mint.count, row[column])) is not None:
            triples.append((subject, predicate, value))
    if row["entry_into_force"] and (eif := _parse(conversion, row, mint.day, row["entry_into_force"])):
        triples.append((subject, TFKG.entryIntoForce, eif))
        triples.append((instrument, TFKG.entryIntoForce, eif))
    if row["registration"]:
        triples.append((subject, TFKG.registration, Literal(row["registration"])))
    conversion.add(graph, triples)


def provisions(conversion: Conversion, row: Row) -> None:
    subject = mint.entity("provision", row["key"])
    graph = _fact(conversion, row, subject, TFKG.Provision, row["label"] or None)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = [(subject, TFKG.articleNumber, Literal(row["article"]))]
    if instrument := conversion.ref(row, row["instrument"], frozenset({"instrument"})):
        triples.append((subject, TFKG.provisionOf, instrument))
    triples += [
        (subject, TFKG.providesMeasure, m)
        for m in conversion.refs(row, row["measures"], frozenset({"measure"}))
    ]
    triples += [
        (subject, TFKG.crimeArea, c)
        for c in conversion.refs(row, row["crime_areas"], frozenset({"crime-area"}))
    ]
    if row["strength"] and (strength := conversion.ref(row, row["strength"], frozenset({"strength"}))):
        triples.append((subject, TFKG.strength, strength))
    conversion.add(graph, triples)


RULE_KINDS = frozenset(
    {
        "treaty-consent",
        "application",
        "bilateral-in-force",
        "eu-membership",
        "withdrawal-transition",
        "eu-agreement",
        "opt-out",
        "not-derived",
        "rejoin",
        "protocol-parent",
        "territory",
        "territory-by-extension",
        "outermost-region",
        "european-territory",
        "agency-membership",
        "agreement-participation",
    }
)


def rules(conversion: Conversion, row: Row) -> None:
    """A derivation rule: the law by which `tfkg build` derives bindings (build/derive.py)."""
    if row["kind"] not in RULE_KINDS:
        conversion.problem(row, f"kind {row['kind']!r} is not one of {', '.join(sorted(RULE_KINDS))}")
        return
    subject = mint.entity("rule", row["key"])
    graph = _fact(conversion, row, subject, TFKG.DerivationRule, row["label"])
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = [
        (subject, TFKG.ruleKind, Literal(row["kind"])),
        (subject, TFKG.ruleText, Literal(row["text"])),
    ]
    for column, predicate, kinds in (
        ("instrument", TFKG.instrument, {"instrument"}),
        ("party", TFKG.party, {"jurisdiction"}),
    ):
        if row[column] and (target := conversion.ref(row, row[column], frozenset(kinds))):
            triples.append((subject, predicate, target))
    if span := _interval(conversion, row, subject, row["from"], row["until"]):
        triples += [(subject, TFKG.validDuring, span[0]), *span[1]]
    triples += [
        (subject, TFKG.restsOn, p) for p in conversion.refs(row, row["rests_on"], frozenset({"provision"}))
    ]
    conversion.add(graph, triples)


def treaty_actions(conversion: Conversion, row: Row) -> None:
    parts = [row["instrument"], row["party"], row["action_type"], row["date"]]
    if not all(parts):
        conversion.problem(row, "instrument, party, action_type and date are all required")
        return
    key = "/".join(mint.slug(p) for p in parts) + (
        f"/{mint.slug(row['territory'])}" if row["territory"] else ""
    )
    subject = mint.entity("action", key)
    first = conversion.action_sources.get(subject)
    if first is not None and first != row["source"]:
        # The same act as another source records it (two versions of a chart): a node of its
        # own, so that each source's account stays whole and cited to that source.
        subject = mint.entity("action", f"{key}/{mint.slug(row['source'])}")
    conversion.action_sources.setdefault(subject, row["source"])
    label = f"{row['party'].removeprefix('jurisdiction/')}: {mint.slug(row['action_type']).replace('-', ' ')} of {mint.slug(row['instrument'])}, {row['date']}"
    _action(conversion, row, subject, TFKG.TreatyAction, label)


def _action(conversion: Conversion, row: Row, subject: URIRef, kind: URIRef, label: str) -> URIRef | None:
    graph = _fact(conversion, row, subject, kind, label)
    if graph is None:
        return None
    triples: list[tuple[URIRef, URIRef, object]] = []
    for column, predicate, kinds in (
        ("party", TFKG.party, {"jurisdiction"}),
        ("instrument", TFKG.instrument, {"instrument"}),
        ("action_type", TFKG.actionType, {"action-type"}),
        ("territory", TFKG.territory, {"jurisdiction"}),
    ):
        if row[column] and (target := conversion.ref(row, row[column], frozenset(kinds))):
            triples.append((subject, predicate, target))
    if row["date"] and (when := _parse(conversion, row, mint.day, row["date"])) is not None:
        triples.append((subject, TFKG.actionDate, when))
    if row["entry_into_force_for_party"] and (
        eif := _parse(conversion, row, mint.day, row["entry_into_force_for_party"])
    ):
        triples.append((subject, TFKG.entryIntoForceForParty, eif))
    if row["depositary_reference"]:
        triples.append((subject, TFKG.depositaryReference, Literal(row["depositary_reference"])))
    conversion.add(graph, triples)
    return graph


def statements(conversion: Conversion, row: Row) -> None:
    kind = STATEMENT_KINDS.get(row["kind"])
    if kind is None:
        conversion.problem(row, f"kind {row['kind']!r} is not one of {', '.join(STATEMENT_KINDS)}")
        return
    key = "/".join(
        mint.slug(p) for p in (row["instrument"], row["party"], row["kind"], row["date"] or "undated")
    )
    n = 1
    while mint.entity("statement", f"{key}/{n}") in conversion.defined:
        n += 1
    subject = mint.entity("statement", f"{key}/{n}")
    label = f"{row['party'].removeprefix('jurisdiction/')}: {row['kind']} on {mint.slug(row['instrument'])}, {row['date'] or 'undated'}"
    values = dict(row.values, action_type=f"action-type/{row['kind']}")
    graph = _action(conversion, Row(values, row.path, row.line), subject, kind, label)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = [(subject, TFKG.statementText, Literal(row["text"]))]
    triples += [
        (subject, TFKG.targetsProvision, p)
        for p in conversion.refs(row, row["targets"], frozenset({"provision"}))
    ]
    if row["withdrawn_on"] and (withdrawn := _parse(conversion, row, mint.day, row["withdrawn_on"])):
        triples.append((subject, TFKG.withdrawnOn, withdrawn))
    triples += [
        (subject, TFKG.objectsTo, j)
        for j in conversion.refs(row, row["objects_to"], frozenset({"jurisdiction"}))
    ]
    triples += [
        (subject, TFKG.acceptsAsLegalBasisFor, m)
        for m in conversion.refs(row, row["accepts_as_basis_for"], frozenset({"measure"}))
    ]
    triples += [
        (subject, TFKG.limitsMeasure, m)
        for m in conversion.refs(row, row["limits_measures"], frozenset({"measure"}))
    ]
    conversion.add(graph, triples)


def applications(conversion: Conversion, row: Row) -> None:
    key = "/".join(mint.slug(p) for p in (row["instrument"], row["party"], row["from"] or "undated"))
    subject = mint.entity("application", key)
    bound = _parse(conversion, row, mint.boolean, row["bound"])
    verb = "binds" if row["bound"] == "true" else "does not bind"
    label = f"{mint.slug(row['instrument'])} {verb} {row['party'].removeprefix('jurisdiction/')}"
    graph = _fact(conversion, row, subject, TFKG.InstrumentApplication, label)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    if bound is not None:
        triples.append((subject, TFKG.bound, bound))
    for column, predicate, kinds in (
        ("party", TFKG.party, {"jurisdiction"}),
        ("instrument", TFKG.instrument, {"instrument"}),
    ):
        if target := conversion.ref(row, row[column], frozenset(kinds)):
            triples.append((subject, predicate, target))
    if row["note"]:
        triples.append((subject, RDFS.comment, Literal(row["note"], lang="en")))
    if during := _interval(conversion, row, subject, row["from"], row["until"]):
        triples += [(subject, TFKG.validDuring, during[0]), *during[1]]
    conversion.add(graph, triples)


def organizations(conversion: Conversion, row: Row) -> None:
    subject, graph = _entity_fact(conversion, row, "organization", ORGANIZATION_KINDS)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    if row["short_name"]:
        triples.append((subject, SKOS.altLabel, Literal(row["short_name"], lang="en")))
    if row["parent"] and (parent := conversion.ref(row, row["parent"], frozenset({"organization"}))):
        triples.append((subject, ORG.subOrganizationOf, parent))
    triples += [
        (subject, TFKG.legalBasis, b)
        for b in conversion.refs(row, row["legal_basis"], frozenset({"instrument", "provision"}))
    ]
    if row["wikidata"]:
        triples.append((subject, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{row['wikidata']}")))
    conversion.add(graph, triples)


def authorities(conversion: Conversion, row: Row) -> None:
    subject, graph = _entity_fact(conversion, row, "authority", AUTHORITY_KINDS)
    if graph is not None and (
        served := conversion.ref(row, row["jurisdiction"], frozenset({"jurisdiction"}))
    ):
        conversion.add(graph, [(subject, TFKG.servesJurisdiction, served)])


def memberships(conversion: Conversion, row: Row) -> None:
    if not row["start"]:
        conversion.problem(
            row, "a membership needs its start (YYYY-MM-DD, YYYY, or <=YYYY-MM-DD for 'member on that date')"
        )
        return
    key = "/".join(
        mint.slug(p)
        for p in (row["organization"], row["member"].replace("/", "-"), row["start"].replace("<=", "by-"))
    )
    subject = mint.entity("membership", key)
    label = f"{row['member'].split('/')[-1]} in {mint.slug(row['organization'])} ({mint.slug(row['role'])})"
    graph = _fact(conversion, row, subject, TFKG.Membership, label)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    for column, predicate, kinds in (
        ("organization", ORG.organization, {"organization"}),
        ("member", ORG.member, {"jurisdiction", "authority", "organization"}),
        ("role", ORG.role, {"role"}),
    ):
        if target := conversion.ref(row, row[column], frozenset(kinds)):
            triples.append((subject, predicate, target))
    if during := _interval(conversion, row, subject, row["start"], row["end"]):
        triples += [(subject, ORG.memberDuring, during[0]), *during[1]]
    conversion.add(graph, triples)


def mandates(conversion: Conversion, row: Row) -> None:
    key = "/".join(
        mint.slug(p)
        for p in (row["organization"], row["crime_area"], row["start"].replace("<=", "by-") or "open")
    )
    subject = mint.entity("mandate", key)
    label = f"{mint.slug(row['organization'])}: {mint.slug(row['crime_area']).replace('-', ' ')}"
    graph = _fact(conversion, row, subject, TFKG.Mandate, label)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    if body := conversion.ref(row, row["organization"], frozenset({"organization"})):
        triples.append((subject, TFKG.mandateOf, body))
    triples += [
        (subject, TFKG.crimeArea, c)
        for c in conversion.refs(row, row["crime_area"], frozenset({"crime-area", "empact-priority"}))
    ]
    triples += [
        (subject, TFKG.legalBasis, b)
        for b in conversion.refs(row, row["legal_basis"], frozenset({"instrument", "provision"}))
    ]
    if during := _interval(conversion, row, subject, row["start"], row["end"]):
        triples += [(subject, TFKG.validDuring, during[0]), *during[1]]
    conversion.add(graph, triples)


def channels(conversion: Conversion, row: Row) -> None:
    subject = mint.entity("channel", row["key"])
    graph = _fact(conversion, row, subject, TFKG.CooperationChannel, row["label"])
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    if body := conversion.ref(row, row["operated_by"], frozenset({"organization"})):
        triples.append((subject, TFKG.operatedBy, body))
    triples += [
        (subject, TFKG.providesMeasure, m)
        for m in conversion.refs(row, row["measures"], frozenset({"measure"}))
    ]
    triples += [
        (subject, TFKG.noticeType, n)
        for n in conversion.refs(row, row["notice_types"], frozenset({"interpol-notice"}))
    ]
    triples += [
        (subject, TFKG.recognisedBy, r)
        for r in conversion.refs(row, row["recognised_by"], frozenset({"instrument", "provision"}))
    ]
    if (
        row["allows_personal_data"]
        and (flag := _parse(conversion, row, mint.boolean, row["allows_personal_data"])) is not None
    ):
        triples.append((subject, TFKG.allowsPersonalData, flag))
    conversion.add(graph, triples)


def agreements(conversion: Conversion, row: Row) -> None:
    kind = (
        TFKG.WorkingArrangement
        if row["agreement_type"].endswith("working-arrangement")
        else TFKG.CooperationAgreement
    )
    subject = mint.entity("instrument", row["key"])
    graph = _fact(conversion, row, subject, kind, row["label"])
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    for column in ("body", "partner"):
        if party := conversion.ref(row, row[column], frozenset({"organization", "jurisdiction"})):
            triples.append((subject, TFKG.agreementParty, party))
    if kind_of := conversion.ref(
        row, row["agreement_type"], frozenset({"europol-agreement-type", "eurojust-agreement-type"})
    ):
        triples.append((subject, TFKG.agreementType, kind_of))
    # Unstated stays unstated: only the agreement's type or its source says whether data may flow.
    if (
        row["allows_personal_data"]
        and (flag := _parse(conversion, row, mint.boolean, row["allows_personal_data"])) is not None
    ):
        triples.append((subject, TFKG.allowsPersonalData, flag))
    for column, predicate, before in (
        ("signed", TFKG.signatureDate, TFKG.signatureNotLaterThan),
        ("entry_into_force", TFKG.entryIntoForce, None),
    ):
        if not row[column]:
            continue
        if row[column].startswith("<=") and before is not None:
            if (value := _parse(conversion, row, mint.day, row[column][2:])) is not None:
                triples.append((subject, before, value))
        elif (value := _parse(conversion, row, _period_literal, row[column])) is not None:
            triples.append((subject, predicate, value))
    conversion.add(graph, triples)


def _period_literal(value: str) -> Literal:
    """A day, month or year as its source gives it: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return mint.period(value).literal


def precedence(conversion: Conversion, row: Row) -> None:
    subject = mint.entity("precedence", row["key"])
    graph = _fact(
        conversion,
        row,
        subject,
        TFKG.PrecedenceRule,
        f"{mint.slug(row['prevailing'])} prevails over {row['displaced'].replace('instrument/', '')}",
    )
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = []
    if prevailing := conversion.ref(row, row["prevailing"], frozenset({"instrument"})):
        triples.append((subject, TFKG.prevailingInstrument, prevailing))
    triples += [
        (subject, TFKG.displacedInstrument, d)
        for d in conversion.refs(row, row["displaced"], frozenset({"instrument"}))
    ]
    triples += [
        (subject, TFKG.forMeasure, m) for m in conversion.refs(row, row["measures"], frozenset({"measure"}))
    ]
    triples += [
        (subject, TFKG.precedenceProvision, p)
        for p in conversion.refs(row, row["provision"], frozenset({"provision"}))
    ]
    conversion.add(graph, triples)


def bilateral(conversion: Conversion, row: Row) -> None:
    """A treaty concluded between named partners (bilateral/*): the instrument, its partners and
    scope, what it amends or implements, and a signature by each partner on the day it was
    signed. When it is in force comes from applications/ statements, each with its own source:
    a signature binds no one."""
    subject, graph = _entity_fact(conversion, row, "instrument", INSTRUMENT_KINDS)
    if graph is None:
        return
    partners = conversion.refs(row, row["partners"], frozenset({"jurisdiction"}))
    if len(partners) < 2:
        conversion.problem(row, "partners must name at least two jurisdictions, separated by a space")
        return
    triples: list[tuple[URIRef, URIRef, object]] = [(subject, TFKG.treatyPartner, p) for p in partners]
    if row["title"]:
        triples.append((subject, DCTERMS.title, Literal(row["title"])))
    triples += [
        (subject, TFKG.territorialScope, t)
        for t in conversion.refs(row, row["territories"], frozenset({"jurisdiction"}))
    ]
    triples += [
        (subject, TFKG.providesMeasure, m)
        for m in conversion.refs(row, row["measures"], frozenset({"measure"}))
    ]
    for column, predicate in (("amends", TFKG.amends), ("implements", TFKG.implements)):
        if row[column] and (target := conversion.ref(row, row[column], frozenset({"instrument"}))):
            triples.append((subject, predicate, target))
    if row["note"]:
        triples.append((subject, RDFS.comment, Literal(row["note"], lang="en")))
    if row["signed"] and (signed := _parse(conversion, row, mint.day, row["signed"])) is not None:
        triples.append((subject, TFKG.adoptionDate, signed))
    conversion.add(graph, triples)
    if not row["signed"]:
        return
    for partner in row["partners"].split():
        action = Row(
            {
                "instrument": f"instrument/{row['key']}",
                "party": partner,
                "action_type": "action-type/signature",
                "date": row["signed"],
                "entry_into_force_for_party": "",
                "territory": "",
                "depositary_reference": "",
                "source": row["source"],
                "locator": row["locator"],
            },
            row.path,
            row.line,
        )
        treaty_actions(conversion, action)


def designations(conversion: Conversion, row: Row) -> None:
    """A state's designation, under its own law, of a jurisdiction it may extradite to (the UK's
    category 2 territories). Not a treaty: it binds no other state, so it makes no binding."""
    key = "/".join(mint.slug(row[c].removeprefix("jurisdiction/")) for c in ("designating", "designated"))
    subject = mint.entity("designation", f"{key}/{row['source']}")  # each source's statement of it
    label = f"{row['designating'].removeprefix('jurisdiction/')} designates {row['designated'].removeprefix('jurisdiction/')} ({row['law']})"
    graph = _fact(conversion, row, subject, TFKG.ExtraditionDesignation, label)
    if graph is None:
        return
    triples: list[tuple[URIRef, URIRef, object]] = [(subject, TFKG.underLaw, Literal(row["law"]))]
    for column, predicate in (("designating", TFKG.designatedBy), ("designated", TFKG.designates)):
        if target := conversion.ref(row, row[column], frozenset({"jurisdiction"})):
            triples.append((subject, predicate, target))
    triples += [
        (subject, TFKG.providesMeasure, m)
        for m in conversion.refs(row, row["measures"], frozenset({"measure"}))
    ]
    if row["note"]:
        triples.append((subject, RDFS.comment, Literal(row["note"], lang="en")))
    if during := _interval(conversion, row, subject, row["from"], ""):
        triples += [(subject, TFKG.validDuring, during[0]), *during[1]]
    conversion.add(graph, triples)


CONVERTERS: dict[str, Callable[[Conversion, Row], None]] = {
    "jurisdictions": jurisdictions,
    "instruments": instruments,
    "bilateral/*": bilateral,
    "designations/*": designations,
    "depositary-status": depositary_status,
    "depositary-status/*": depositary_status,
    "provisions": provisions,
    "organizations": organizations,
    "authorities": authorities,
    "agreements": agreements,
    "agreements/*": agreements,
    "channels": channels,
    "treaty-actions/*": treaty_actions,
    "statements/*": statements,
    "applications": applications,
    "applications/*": applications,
    "memberships/*": memberships,
    "mandates": mandates,
    "precedence": precedence,
    "rules": rules,
}


def convert(data_dir: Path, dataset: Dataset, concepts: set[URIRef]) -> Conversion:
    """Convert every table under ``data_dir`` into ``dataset``; problems are collected."""
    conversion = Conversion(dataset=dataset, concepts=concepts)
    for row in read_table(data_dir / "sources.csv", COLUMNS["sources"]):
        sources(conversion, row)
    tables = sorted(data_dir.rglob("*.csv"))
    known = set(CONVERTERS) | {"sources"}
    for path in tables:
        kind = table_kind(path, data_dir)
        if kind not in known:
            conversion.problems.append(
                Problem(str(path), f"unknown table; tables are: {', '.join(sorted(known))}")
            )
    for kind, converter in CONVERTERS.items():
        for path in tables:
            if table_kind(path, data_dir) != kind:
                continue
            for row in read_table(path, COLUMNS[kind]):
                try:
                    converter(conversion, row)
                except CellError as error:
                    conversion.problem(row, str(error))
    _mint_provisions(conversion)
    _check_references(conversion)
    return conversion


def _mint_provisions(conversion: Conversion) -> None:
    """Provisions named `{instrument}-art-{n}[-{p}]` but not listed are minted from the name,
    citing the row that first named them."""
    for iri, row in list(conversion.pending):
        key = str(iri).removeprefix(str(ID["provision/"]))
        if not str(iri).startswith(str(ID["provision/"])) or iri in conversion.defined:
            continue
        found = _PROVISION_KEY.match(key)
        if found is None:
            continue
        instrument = mint.entity("instrument", found["instrument"])
        article = found["article"] + (f"({found['paragraph']})" if found["paragraph"] else "")
        graph = _source(conversion, row)
        if graph is None:
            continue
        conversion.defined.add(iri)
        conversion.origins.setdefault(str(iri), row.where())
        conversion.pending.append((instrument, row))
        title = conversion.labels.get(instrument, found["instrument"])
        conversion.add(
            graph,
            [
                (iri, RDF.type, TFKG.Provision),
                (iri, RDFS.label, Literal(f"art. {article} of {title}", lang="en")),
                (iri, TFKG.provisionOf, instrument),
                (iri, TFKG.articleNumber, Literal(article)),
                (iri, PROV.wasDerivedFrom, conversion.sources[row["source"]]),
            ],
        )


def _check_references(conversion: Conversion) -> None:
    seen: set[tuple[URIRef, str]] = set()
    for iri, row in conversion.pending:
        if iri in conversion.defined or iri in conversion.concepts or (iri, row.where()) in seen:
            continue
        seen.add((iri, row.where()))
        relative = str(iri).removeprefix(str(ID))
        conversion.problem(
            row, f"{relative} is not defined in any table or vocabulary; define it first or fix the key"
        )


def concepts_of(vocab: Iterable[tuple[object, object, object]]) -> set[URIRef]:
    """Every skos:Concept a vocabulary defines."""
    return {s for s, p, o in vocab if p == RDF.type and o == SKOS.Concept and isinstance(s, URIRef)}


__all__ = ["XSD", "Conversion", "Problem", "concepts_of", "convert"]
