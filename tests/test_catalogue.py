"""The named-query catalogue: headers load, golden cases match, examples return rows, bad arguments fail.

Golden cases live in tests/golden/<query>/<case>.json as {"params": {...}, "expected": [rows]}, each
row mapping a variable to the plain string value of its bound term (unbound variables omitted);
rows are compared as a multiset. Set TFKG_UPDATE_GOLDEN=1 to rewrite the expected rows from the
actual results instead, then read the diff.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from tfkg.build.derive import derive_into
from tfkg.catalogue import Catalogue, NamedQuery, ParameterError, load_catalogue, load_query
from tfkg.errors import DataError
from tfkg.lookup import Lookup, UnknownValueError
from tfkg.store import EmbeddedStore

from .conftest import FIXTURES, ROOT

QUERIES = ROOT / "queries"
GOLDEN = ROOT / "tests" / "golden"
VOCABULARIES = sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))
ONTOLOGY = ROOT / "ontology" / "tfkg.ttl"
UPDATE = os.environ.get("TFKG_UPDATE_GOLDEN") == "1"

Row = dict[str, str]


def golden_cases() -> Iterator[Path]:
    return iter(sorted(GOLDEN.glob("*/*.json")))


def rows_of(
    store: EmbeddedStore, query: NamedQuery, bindings: dict[str, ox.NamedNode | ox.Literal]
) -> list[Row]:
    solutions = store.query(query.text, bindings)
    assert isinstance(solutions, ox.QuerySolutions), f"{query.name} is not a SELECT query"
    names = [variable.value for variable in solutions.variables]
    return [
        {name: term.value for name, term in zip(names, solution, strict=True) if term is not None}
        for solution in solutions
    ]


def multiset(rows: list[Row]) -> Counter[tuple[tuple[str, str], ...]]:
    return Counter(tuple(sorted(row.items())) for row in rows)


@pytest.fixture(scope="module")
def fixture_store() -> EmbeddedStore:
    store = EmbeddedStore.from_files([FIXTURES / "catalogue.trig", *VOCABULARIES])
    # graph/derived, as `tfkg build` writes it, for the queries that read it; the rules need the
    # ontology's class hierarchy, which the fixture store itself leaves out.
    derive_into(store, EmbeddedStore.from_files([FIXTURES / "catalogue.trig", ONTOLOGY, *VOCABULARIES]))
    return store


@pytest.fixture(scope="module")
def fixture_lookup(fixture_store: EmbeddedStore) -> Lookup:
    return Lookup.from_store(fixture_store)


@pytest.fixture(scope="module")
def catalogue(fixture_lookup: Lookup) -> Catalogue:
    return load_catalogue(QUERIES, fixture_lookup.concepts)


@pytest.fixture(scope="module")
def real_store(built_dataset: Path) -> EmbeddedStore:
    """The real data, built once per session by the conftest fixture (never a stale build/)."""
    return EmbeddedStore.from_files([built_dataset, *VOCABULARIES])


# (a) the catalogue loads and every header is complete ---------------------------------------


def test_catalogue_loads_with_complete_headers(catalogue: Catalogue) -> None:
    assert len(catalogue.queries) >= 15
    for name, query in catalogue.queries.items():
        assert query.title, name
        assert query.description, name
        assert query.tags, name
        assert query.examples, f"{name} has no examples"
        assert query.form == "SELECT", name
        for example in query.examples:
            unknown = set(example) - {p.name for p in query.params}
            assert not unknown, f"{name}: example uses undeclared {unknown}"
        for param in query.params:
            assert param.description, f"{name}: parameter {param.name} has no description"
            if param.type == "concept":
                assert param.values, f"{name}: concept scheme {param.kind} has no keys in the vocabularies"


def test_every_query_has_a_golden_case_with_rows(catalogue: Catalogue) -> None:
    covered = {path.parent.name for path in golden_cases()}
    assert covered <= set(catalogue.queries), sorted(covered - set(catalogue.queries))
    with_rows = {
        path.parent.name
        for path in golden_cases()
        if json.loads(path.read_text(encoding="utf-8"))["expected"]
    }
    assert set(catalogue.queries) <= with_rows, sorted(set(catalogue.queries) - with_rows)


# (b) golden cases on the fixture -------------------------------------------------------------


@pytest.mark.parametrize("case_path", list(golden_cases()), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_case(
    case_path: Path, catalogue: Catalogue, fixture_store: EmbeddedStore, fixture_lookup: Lookup
) -> None:
    case = json.loads(case_path.read_text(encoding="utf-8"))
    query = catalogue.get(case_path.parent.name)
    bindings = query.bindings(case["params"], fixture_lookup.jurisdiction)
    actual = rows_of(fixture_store, query, bindings)
    if UPDATE:
        ordered = sorted(actual, key=lambda row: sorted(row.items()))
        case["expected"] = ordered
        case_path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert multiset(actual) == multiset(case["expected"])


@pytest.mark.parametrize("case_path", list(golden_cases()), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_standalone_text_gives_the_same_rows(
    case_path: Path, catalogue: Catalogue, fixture_store: EmbeddedStore, fixture_lookup: Lookup
) -> None:
    """The workbench's copy of a named query (values in a VALUES block) answers as the query does."""
    case = json.loads(case_path.read_text(encoding="utf-8"))
    query = catalogue.get(case_path.parent.name)
    bindings = query.bindings(case["params"], fixture_lookup.jurisdiction)
    text = query.standalone_text(bindings)
    assert "#+" not in text and (not bindings or "VALUES" in text)
    standalone = NamedQuery(**{**vars(query), "text": text})
    assert multiset(rows_of(fixture_store, standalone, {})) == multiset(case["expected"])


# (c) header examples on the real built dataset -----------------------------------------------


def test_examples_return_rows_on_the_built_dataset(catalogue: Catalogue, real_store: EmbeddedStore) -> None:
    lookup = Lookup.from_store(real_store)
    empty = []
    for query in catalogue.queries.values():
        for example in query.examples:
            if not rows_of(real_store, query, query.bindings(example, lookup.jurisdiction)):
                empty.append(f"{query.name} {example}")
    assert not empty, f"examples without rows: {empty}"


# (d) bad arguments -------------------------------------------------------------------------


def test_ill_formed_date_names_the_parameter(catalogue: Catalogue, fixture_lookup: Lookup) -> None:
    query = catalogue.get("parties_on_date")
    with pytest.raises(ParameterError, match="'on'") as raised:
        query.bindings({"instrument": "untoc", "on": "2018-13-45"}, fixture_lookup.jurisdiction)
    assert raised.value.context["parameter"] == "on"


def test_undeclared_parameter_is_refused(catalogue: Catalogue, fixture_lookup: Lookup) -> None:
    query = catalogue.get("parties_on_date")
    with pytest.raises(ParameterError, match="'date'") as raised:
        query.bindings({"instrument": "untoc", "date": "2010-01-01"}, fixture_lookup.jurisdiction)
    assert raised.value.context["parameter"] == "date"


def test_missing_required_parameter_is_refused(catalogue: Catalogue, fixture_lookup: Lookup) -> None:
    query = catalogue.get("instruments_in_force_between")
    with pytest.raises(ParameterError, match="'b'") as raised:
        query.bindings({"a": "DEU"}, fixture_lookup.jurisdiction)
    assert raised.value.context["parameter"] == "b"


def test_unknown_concept_key_is_refused_with_close_matches(
    catalogue: Catalogue, fixture_lookup: Lookup
) -> None:
    query = catalogue.get("instruments_covering")
    with pytest.raises(ParameterError, match="crime_area") as raised:
        query.bindings({"crime_area": "drug-trafficing"}, fixture_lookup.jurisdiction)
    assert "drug-trafficking" in str(raised.value)


@pytest.mark.parametrize(
    ("param", "value"), [("on", "yesterday"), ("on", "2018-02-30"), ("instrument", "not an iri")]
)
def test_ill_typed_values_name_the_parameter(
    catalogue: Catalogue, fixture_lookup: Lookup, param: str, value: str
) -> None:
    query = catalogue.get("parties_on_date")
    arguments = {"instrument": "untoc", "on": "2010-01-01", param: value}
    with pytest.raises(ParameterError) as raised:
        query.bindings(arguments, fixture_lookup.jurisdiction)
    assert raised.value.context["parameter"] == param


@pytest.mark.parametrize("value", ["Germny", "DEX"])
def test_unknown_jurisdiction_suggests_close_matches(
    catalogue: Catalogue, fixture_lookup: Lookup, value: str
) -> None:
    query = catalogue.get("channels_between")
    with pytest.raises(UnknownValueError) as raised:
        query.bindings({"a": value, "b": "FRA"}, fixture_lookup.jurisdiction)
    assert raised.value.context["parameter"] == "a"
    assert any("Germany" in suggestion for suggestion in raised.value.context["suggestions"])


def test_jurisdictions_resolve_by_code_and_name(catalogue: Catalogue, fixture_lookup: Lookup) -> None:
    query = catalogue.get("channels_between")
    by_code = query.bindings({"a": "CH", "b": "DEU", "on": "2010-01-01"}, fixture_lookup.jurisdiction)
    by_name = query.bindings(
        {"a": "Switzerland", "b": "Germany", "on": "2010-01-01"}, fixture_lookup.jurisdiction
    )
    assert by_code == by_name
    assert by_code["a"] == ox.NamedNode("https://w3id.org/tfkg/id/jurisdiction/CHE")


def test_unquoted_comma_in_a_parameter_description_is_refused(tmp_path: Path) -> None:
    """YAML's flow mapping would cut `description: optionally, one instrument` at the comma."""
    path = tmp_path / "broken.rq"
    path.write_text(
        "#+ title: t\n#+ description: d\n#+ params:\n"
        "#+   x: {type: string, description: optionally, one thing}\n"
        "SELECT ?x WHERE { ?x ?p ?o }\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"broken.rq: parameter 'x': unknown key\(s\) 'one thing'"):
        load_query(path)
