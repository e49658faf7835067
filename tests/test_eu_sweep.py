"""Every ordered pair of the 27 EU member states on 2024-06-01 (702 pairs), on the real build.

Expected from the law, not from tfkg's output: the EAW Framework Decision binds every member
state (arts. 32 and 34(1); the Acts of Accession, art. 2), so it is the first basis for
surrender between any two of them. The EIO Directive binds every member state but Denmark and
Ireland (recitals 44-45; Protocols No 21 and No 22), and every participating state applied it
by 15 September 2018 (curated EIO table), so it applies exactly between the other 25.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from tfkg.pathways import PathwayService
from tfkg.store import EmbeddedStore

# europa.eu "EU countries" (data/memberships/eu.csv): the 27 member states in 2024.
MEMBERS = [
    "AUT",
    "BEL",
    "BGR",
    "HRV",
    "CYP",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "IRL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MLT",
    "NLD",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
]
NOT_IN_EIO = {"DNK", "IRL"}
INS = "https://w3id.org/tfkg/id/instrument/"
EAW, EIO = INS + "eaw-framework-decision", INS + "eio-directive"
NAW, NORDIC = INS + "nordic-arrest-warrant", {"DNK", "FIN", "SWE"}


@pytest.fixture(scope="module")
def service(built_dataset: Path) -> PathwayService:
    return PathwayService(EmbeddedStore.from_files([built_dataset]))


def test_there_are_702_ordered_pairs() -> None:
    assert len(MEMBERS) == 27 and len(list(permutations(MEMBERS, 2))) == 702


def test_the_eaw_comes_first_for_every_pair(service: PathwayService) -> None:
    """Except between the Nordic member states, where the Nordic Arrest Warrant (in force between
    them no later than 2022, NOU 2022: 15) displaces it under EAW FD art. 31(2)."""
    wrong = []
    for a, b in permutations(MEMBERS, 2):
        answer = service.ask(a, b, "drug-trafficking", "extradition", "2024-06-01")
        first = answer.bases[0] if answer.bases else None
        if {a, b} <= NORDIC:
            eaw = next((o for o in answer.bases if o.iri == EAW), None)
            if first is None or first.iri != NAW or eaw is None or eaw.status != "displaced":
                wrong.append(f"{a}->{b}: {first.label if first else 'none'}, not the Nordic Arrest Warrant")
        elif first is None or first.iri != EAW or first.status != "applies":
            wrong.append(f"{a}->{b}: {first.label if first else 'none'}")
    assert not wrong, f"{len(wrong)} pairs without the EAW first: {wrong[:10]}"


def test_the_eio_applies_exactly_between_participating_states(service: PathwayService) -> None:
    wrong = []
    for a, b in permutations(MEMBERS, 2):
        answer = service.ask(a, b, "money-laundering", "mutual-legal-assistance", "2024-06-01")
        eio = next((o for o in answer.bases if o.iri == EIO and o.status == "applies"), None)
        expected = not ({a, b} & NOT_IN_EIO)
        if (eio is not None) != expected:
            wrong.append(f"{a}->{b}: expected {'EIO' if expected else 'no EIO'}")
        elif expected and answer.bases[0].iri != EIO:
            wrong.append(f"{a}->{b}: EIO not first ({answer.bases[0].label})")
    assert not wrong, f"{len(wrong)} pairs wrong: {wrong[:10]}"
