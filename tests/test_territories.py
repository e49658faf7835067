"""Territories: which state each is part of, how a declaration about one is read, and what a
question about one answers (VCLT art. 29, data/rules.csv territory-follows-state)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from tfkg.build.stats import load_store
from tfkg.build.territorial import read
from tfkg.pathways import PathwayService
from tfkg.store import EmbeddedStore

PREFIXES = """PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX instrument: <https://w3id.org/tfkg/id/instrument/>
PREFIX jurisdiction: <https://w3id.org/tfkg/id/jurisdiction/>
"""
J = "https://w3id.org/tfkg/id/jurisdiction/"
DRUGS_1988 = "https://w3id.org/tfkg/id/instrument/drugs-1988"

# Real texts. China's declaration on the Trafficking Protocol as data/statements/untoc-tip.csv
# holds it (UNTC XVIII-12-a, Declarations, entry 11), and the fuller one the depositary gives in
# end note 1 to China in the same file (shared/sources/untc/mtdsg-xml-2018-01/XVIII-12-a.en.xml),
# which settles Macao and Hong Kong in one sentence, one each way.
CHINA_TIP = (
    "Declaration:\nUnless otherwise notified by the Government, the Protocol shall not apply to the "
    "Hong Kong Special Administrative Region of the People\u2019s Republic of China."
)
CHINA_TIP_END_NOTE = (
    "In accordance with the provisions of Article 138 of the Basic Law of the Macao Special Administrative "
    "Region of the People\u2019s Republic of China and Article 153 of the Basic Law of the Hong Kong Special "
    "Administrative Region of the People\u2019s Republic of China, the Government of the People\u2019s "
    "Republic of China decides that the Protocol shall apply to the Macao Special Administrative Region of "
    "the People\u2019s Republic of China, and unless otherwise notified by the Government, shall not apply "
    "to the Hong Kong Special Administrative Region of the People\u2019s Republic of China."
)
# UNTC VI-16 (1971 Convention), end note 5 to China.
CHINA_1971_END_NOTE = (
    "Upon resuming the exercise of sovereignty over Hong Kong, China notified the Secretary-General that "
    "the Convention will also apply to the Hong Kong Special Administrative Region."
)
# data/statements/ets-185.csv (Denmark) and data/statements/untoc.csv (Netherlands).
DENMARK_BUDAPEST = (
    "Denmark declares that, until further notice, the Convention will not apply to the Feroe Islands "
    "and Greenland"
)
NETHERLANDS_UNTOC = (
    "The Kingdom of the Netherlands declares (also for Aruba) that it will take this Convention as the "
    "legal basis for cooperation on extradition"
)
# data/treaty-actions/untoc-tip.csv, end note 2 to Denmark.
DENMARK_TIP_END_NOTE = "With a territorial exclusion in respect of the Faroe Islands and Greenland."


def test_a_declaration_excluding_hong_kong_excludes_it() -> None:
    reading = read(CHINA_TIP, "Hong Kong")
    assert reading is not None and reading.effect == "excludes"
    assert reading.sentence.startswith("Unless otherwise notified")


def test_one_sentence_can_apply_to_macao_and_exclude_hong_kong() -> None:
    """'not apply' elsewhere in the sentence must not exclude Macao, which it applies to."""
    macao = read(CHINA_TIP_END_NOTE, "Macao")
    hong_kong = read(CHINA_TIP_END_NOTE, "Hong Kong")
    assert macao is not None and macao.effect == "names"
    assert hong_kong is not None and hong_kong.effect == "excludes"


@pytest.mark.parametrize(
    ("text", "territory", "effect"),
    [
        (CHINA_1971_END_NOTE, "Hong Kong", "names"),
        (NETHERLANDS_UNTOC, "Aruba", "names"),
        (DENMARK_BUDAPEST, "Greenland", "excludes"),
        (DENMARK_TIP_END_NOTE, "Faroe Islands", "excludes"),
        (DENMARK_TIP_END_NOTE, "Greenland", "excludes"),
        ("NL accepted the Convention for Cura\u00e7ao on 24 May 2024", "Cura\u00e7ao", "names"),
        ("INTERPOL NCB Curacao designated as 24/7 point of contact", "Cura\u00e7ao", "names"),
    ],
)
def test_declarations_are_read_mention_by_mention(text: str, territory: str, effect: str) -> None:
    reading = read(text, territory)
    assert reading is not None and reading.effect == effect


def test_a_text_that_does_not_name_the_territory_says_nothing_about_it() -> None:
    """The USA's reservation on the Trafficking Protocol says federal law 'does not apply' in rare
    cases (data/statements/untoc-tip.csv); it names no territory, so Puerto Rico is not excluded."""
    text = (
        "Federal criminal law does not apply in the rare case where such criminal conduct does not so involve"
    )
    assert read(text, "Puerto Rico") is None
    assert read(CHINA_TIP, "Macao") is None


@pytest.fixture(scope="module")
def store(built_dataset: Path) -> ox.Store:
    return load_store(built_dataset)


def ask(store: ox.Store, query: str) -> bool:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def bindings(store: ox.Store, party: str, instrument: str) -> list[dict[str, str]]:
    result = store.query(
        PREFIXES
        + f"""SELECT ?bound ?through ?comment WHERE {{ ?b a tfkg:Binding ; tfkg:party jurisdiction:{party} ;
             tfkg:instrument instrument:{instrument} ; tfkg:bound ?bound ; rdfs:comment ?comment .
             OPTIONAL {{ ?b tfkg:through ?through }} }}""",
        use_default_graph_as_union=True,
    )
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


@pytest.mark.parametrize(
    ("territory", "state"),
    [("HKG", "CHN"), ("MAC", "CHN"), ("ABW", "NLD"), ("GLP", "FRA"), ("GUF", "FRA"), ("PRI", "USA")],
)
def test_territories_are_part_of_their_state(store: ox.Store, territory: str, state: str) -> None:
    assert ask(
        store, f"ASK {{ jurisdiction:{territory} a tfkg:Territory ; tfkg:partOf jurisdiction:{state} }}"
    )


def test_taiwan_has_no_parent(store: ox.Store) -> None:
    assert not ask(store, "ASK { jurisdiction:TWN tfkg:partOf ?state }")
    assert not ask(store, "ASK { jurisdiction:TWN a tfkg:Territory }")


def test_hong_kong_is_excluded_from_the_trafficking_protocol_but_macao_is_not(store: ox.Store) -> None:
    """data/statements/untoc-tip.csv, China 2010-02-08: 'the Protocol shall not apply to the Hong Kong
    Special Administrative Region'; China's accession (data/treaty-actions/untoc-tip.csv) binds Macao."""
    (hong_kong,) = bindings(store, "HKG", "untoc-tip")
    assert hong_kong["bound"] == "false" and hong_kong["through"] == J + "CHN"
    assert "shall not apply to the Hong Kong Special Administrative Region" in hong_kong["comment"]
    (macao,) = bindings(store, "MAC", "untoc-tip")
    assert macao["bound"] == "true" and macao["through"] == J + "CHN"


def test_a_declaration_also_for_aruba_is_no_exclusion(store: ox.Store) -> None:
    """data/statements/untoc.csv, the Netherlands: 'declares (also for Aruba) that it will take this
    Convention as the legal basis for cooperation on extradition' excludes nothing; the extension to
    Aruba from 18 January 2007 (data/treaty-actions/untoc-territorial.csv, Finlex) dates it."""
    (aruba,) = bindings(store, "ABW", "untoc")
    assert aruba["bound"] == "true" and aruba["through"] == J + "NLD"
    assert "extended it to Aruba on 2007-01-18" in aruba["comment"]


@pytest.fixture(scope="module")
def service(built_dataset: Path) -> PathwayService:
    return PathwayService(EmbeddedStore.from_files([built_dataset]))


def test_hong_kong_asks_germany_for_extradition_under_the_1988_convention(service: PathwayService) -> None:
    """Expected from the rows, not the output: data/treaty-actions/drugs-1988.csv China ratification
    1989-10-25 (in force 1990-11-11, line 50) and Germany ratification 1993-11-30 (in force
    1994-02-28, line 71); there is no data/statements/drugs-1988.csv and no drugs-1988 treaty action
    naming Hong Kong; data/jurisdictions.csv HKG part_of CHN. The 2014 UN table that records China's
    consent records no territorial declarations for anyone, so its silence about Hong Kong says
    nothing (China applies treaties to Hong Kong by its own decision): the 1988 Convention is
    offered as uncertain through China, never rejected and never presumed."""
    answer = service.ask("HKG", "DEU", "drug-trafficking", "extradition", "2015-01-01")
    convention = next((o for o in answer.bases if o.iri == DRUGS_1988), None)
    assert convention is not None and convention.status == "uncertain"
    why = " | ".join(r.text for r in convention.reasons)
    assert "China" in why and "1990-11-11" in why and "records no territorial declarations" in why
