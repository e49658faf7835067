"""A pathway answer as a picture: the two jurisdictions and the instruments and channels that
connect them, as cytoscape.js elements (drawn by static/pathway-graph.js).

The picture repeats the ranked list, it never adds to it: every node is an item of the answer,
numbered by its rank, and the list stays the accessible text of the same content.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..store import select_rows
from . import cached, get_store
from .linked_data import local_page

_SHORT_NAMES = "SELECT ?s ?short WHERE { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?short }"


def short_names() -> dict[str, str]:
    """The shortest alternative label of each thing that has one (UNTOC, EAW, I-24/7…)."""

    def make() -> dict[str, str]:
        names: dict[str, str] = {}
        for row in select_rows(get_store(current_app), _SHORT_NAMES):
            subject, short = row["s"], row["short"]
            if subject not in names or len(short) < len(names[subject]):
                names[subject] = short
        return names

    return cached(current_app, "tfkg.short_names", make)


def _name(item: dict[str, Any], names: dict[str, str], width: int = 38) -> str:
    label = names.get(item["iri"]) or item["label"]
    return label if len(label) <= width else label[: width - 1] + "…"


def pathway_elements(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Nodes for A, B and each ranked item; edges from A and B to every item that binds both."""
    names = short_names()
    question = answer["question"]
    elements: list[dict[str, Any]] = [
        {
            "data": {
                "id": "from",
                "label": question["from"]["label"],
                "href": local_page(question["from"]["iri"]),
            },
            "classes": "jurisdiction from",
        },
        {
            "data": {"id": "to", "label": question["to"]["label"], "href": local_page(question["to"]["iri"])},
            "classes": "jurisdiction to",
        },
    ]
    for section, kind, edge in (("legal_bases", "basis", "bound"), ("channels", "channel", "member")):
        for rank, item in enumerate(answer[section], start=1):
            node = f"{kind}-{rank}"
            classes = kind + ("" if item["status"] == "applies" else " conditional")
            label = f"{rank}. {_name(item, names)}"
            elements.append(
                {
                    "data": {
                        "id": node,
                        "label": label,
                        "title": item["label"],
                        "href": local_page(item["iri"]),
                    },
                    "classes": classes,
                }
            )
            for end in ("from", "to"):
                elements.append(
                    {
                        "data": {"id": f"{end}-{node}", "source": end, "target": node, "label": edge},
                        "classes": kind,
                    }
                )
    return elements
