"""Jurisdictions by the names people type, on the real built graph.

Each expected code is the ISO 3166-1 alpha-3 code of the state people mean (XKX for Kosovo,
EU for the European Union), written down from what the names mean, not from the code's output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from tfkg.lookup import Lookup, UnknownValueError
from tfkg.namespaces import ID
from tfkg.store import EmbeddedStore

NAMES = [
    ("UK", "GBR"),
    ("Great Britain", "GBR"),
    ("Britain", "GBR"),
    ("Ivory Coast", "CIV"),
    ("Burma", "MMR"),
    ("Holland", "NLD"),
    ("Turkey", "TUR"),
    ("Türkiye", "TUR"),
    ("turkiye", "TUR"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("Swaziland", "SWZ"),
    ("Eswatini", "SWZ"),
    ("Macedonia", "MKD"),
    ("North Macedonia", "MKD"),
    ("Vatican", "VAT"),
    ("Holy See", "VAT"),
    ("Taiwan", "TWN"),
    ("Kosovo", "XKX"),
    ("USA", "USA"),
    ("United States", "USA"),
    ("America", "USA"),
    ("Russia", "RUS"),
    ("South Korea", "KOR"),
    ("Moldova", "MDA"),
    ("Bolivia", "BOL"),
    ("Iran", "IRN"),
    ("Syria", "SYR"),
    ("Laos", "LAO"),
    ("Cape Verde", "CPV"),
    ("East Timor", "TLS"),
    ("Palestine", "PSE"),
    ("EU", "EU"),
    ("European Union", "EU"),
    ("cote d'ivoire", "CIV"),
    ("  CÔTE  D’IVOIRE ", "CIV"),  # case, accent, typographic apostrophe, spaces
    ("great britain", "GBR"),
]

#: Exact codes, keys and labels come before any pattern.
EXACT = [
    ("CH", "CHE"),  # ISO alpha-2 of Switzerland
    ("ch", "CHE"),
    ("NE", "NER"),  # ISO alpha-2 of Niger, not Nigeria (NG) nor a pattern
    ("Niger", "NER"),
    ("Nigeria", "NGA"),
    ("GB", "GBR"),
    ("Switzerland", "CHE"),
    (str(ID["jurisdiction/DEU"]), "DEU"),
]


@pytest.fixture(scope="module")
def lookup(built_dataset: Path) -> Lookup:
    return Lookup.from_store(EmbeddedStore.from_files([built_dataset]))


def key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize(("name", "code"), NAMES + EXACT)
def test_names_people_type(lookup: Lookup, name: str, code: str) -> None:
    assert key(lookup.jurisdiction(name)) == code


@pytest.mark.parametrize("name", ["England", "Scotland", "wales", "Northern Ireland"])
def test_part_of_a_state_is_not_a_jurisdiction_but_suggests_it(lookup: Lookup, name: str) -> None:
    with pytest.raises(UnknownValueError) as raised:
        lookup.jurisdiction(name, "to")
    assert raised.value.context == {"parameter": "to", "suggestions": ["United Kingdom (GBR)"]}
    assert "GBR" in raised.value.message


@pytest.mark.parametrize(
    "name",
    [
        "Atlantis",
        "GBX",  # three letters, no code: the United Kingdom's pattern contains "gb" but must not catch it
        "Netherlands Antilles",  # dissolved in 2010; country_converter marks its row obsolete
        "Yugoslavia",
    ],
)
def test_unknown_names_stay_unknown(lookup: Lookup, name: str) -> None:
    with pytest.raises(UnknownValueError) as raised:
        lookup.jurisdiction(name, "from")
    assert raised.value.context["parameter"] == "from"


def test_unknown_name_lists_close_matches(lookup: Lookup) -> None:
    with pytest.raises(UnknownValueError) as raised:
        lookup.jurisdiction("Swizerland")
    assert "Switzerland (CHE)" in raised.value.context["suggestions"]


def test_a_name_matching_two_states_is_an_error_naming_both(lookup: Lookup) -> None:
    with pytest.raises(UnknownValueError) as raised:
        lookup.jurisdiction("Niger and Nigeria")
    assert set(raised.value.context["suggestions"]) == {"Niger (NER)", "Nigeria (NGA)"}


def test_a_name_for_a_jurisdiction_the_store_lacks_is_unknown() -> None:
    """Only jurisdictions in the store count: a library that knows "UK" cannot invent GBR."""
    tfkg = "https://w3id.org/tfkg/ontology#"
    rdfs_label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    che = ox.NamedNode(str(ID["jurisdiction/CHE"]))
    store = ox.Store()
    store.add(ox.Quad(che, rdf_type, ox.NamedNode(tfkg + "State")))
    store.add(ox.Quad(che, rdfs_label, ox.Literal("Switzerland")))
    small = Lookup.from_store(EmbeddedStore(store))
    assert small.jurisdiction("Swiss Confederation") == che.value
    with pytest.raises(UnknownValueError):
        small.jurisdiction("UK")


def test_names_are_read_without_importing_pandas() -> None:
    """country_converter's class needs pandas (slow to import, large); its table does not."""
    code = (
        "import sys; from tfkg.country_names import name_patterns; "
        "assert len(name_patterns()) > 240; assert 'pandas' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_value_longer_than_any_name_is_refused_before_the_patterns_run(lookup: Lookup) -> None:
    """The name patterns take time in proportion to the text (about 1.4 s for 5,000 characters,
    measured): a longer value is refused at once, with a message that says why."""
    with pytest.raises(UnknownValueError, match="at most 100 characters"):
        lookup.jurisdiction("ab " * 1700, "from")
    assert key(lookup.jurisdiction("United Kingdom of Great Britain and Northern Ireland", "from")) == "GBR"
