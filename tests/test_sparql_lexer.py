"""The guard scan (lexer.scan) against a plain token-by-token reading of the same text.

``scan`` reads a coarser token stream (variables and punctuation runs as one token) for speed;
``reference`` reads lexer._TOKEN one token at a time, as scan did until 2026-12-02. They must
agree on every text, including malformed ones.
"""

from __future__ import annotations

import random

import pytest

from tfkg.sparql import lexer
from tfkg.sparql.lexer import QUERY_FORMS, UPDATE_KEYWORDS, Scan, scan


def reference(text: str) -> Scan:
    result = Scan()
    previous: list[str] = []
    pending_from: str | None = None
    for match in lexer._TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        after_from = pending_from is not None and kind not in ("iri", "comment")
        if after_from and not (kind == "word" and pending_from == "DEFAULT" and value.upper() == "NAMED"):
            result.unreadable_from, pending_from = True, None
        if kind in ("comment", "long", "string"):
            previous.append(kind)
        elif kind == "iri":
            if pending_from is not None:
                (result.from_named_graphs if pending_from == "NAMED" else result.from_graphs).append(
                    value[1:-1]
                )
                pending_from = None
            elif previous[-1:] == ["BASE"]:
                result.base = value[1:-1]
            previous.append("iri")
        elif kind == "word" and previous[-1:] in (["?"], ["$"]):
            previous.append("variable")
        elif kind == "word" and ":" in (
            text[match.start() - 1 : match.start()],
            text[match.end() : match.end() + 1],
        ):
            previous.append(value.upper())  # ex:from, service:x: part of a prefixed name
        elif kind == "word":
            word = value.upper()
            if result.form is None and word in QUERY_FORMS:
                result.form = word
            if word in UPDATE_KEYWORDS:
                result.update_keywords.append(word)
            if word == "SERVICE":
                result.uses_service = True
            if word == "FROM":
                pending_from = "DEFAULT"
            elif word == "NAMED" and pending_from == "DEFAULT":
                pending_from = "NAMED"
            previous.append(word)
        else:
            previous.append(value)
    return result


PIECES = [
    *QUERY_FORMS,
    *UPDATE_KEYWORDS,
    "SERVICE",
    "FROM",
    "NAMED",
    "BASE",
    "WHERE",
    "select",
    "From",
    "named",
    "?",
    "$",
    "??",
    "?x",
    "$y",
    "?from",
    "$select",
    "?1a",
    "? ",
    "$ ",
    "1",
    "42.5e3",
    "-",
    "_",
    "_:b",
    ":",
    "ex:",
    ":from",
    "ex:service",
    "a-b",
    "x1",
    "<urn:g>",
    "<http://example.org/g>",
    "<",
    ">",
    "<bad iri>",
    "{",
    "}",
    ".",
    ";",
    ",",
    "(",
    ")",
    "*",
    "^^",
    "@en",
    '"SERVICE"',
    "'FROM <urn:x>'",
    '"""long\nINSERT"""',
    "'''x'''",
    '"unterminated',
    "'",
    '"',
    "\\",
    "# SERVICE comment\n",
    "#",
    "\n",
    " ",
    "\t",
    "é",
    "ü",
    "ß",
    "SÉLECT",
    "=",
    "!",
    "&&",
    "||",
]


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    return [
        "".join(rng.choice(PIECES) + rng.choice(["", " ", "", "\n"]) for _ in range(rng.randint(0, 25)))
        for _ in range(count)
    ]


@pytest.mark.parametrize("seed", range(4))
def test_scan_agrees_with_the_token_by_token_reading(seed: int) -> None:
    for text in texts(2500, seed):
        assert scan(text) == reference(text), text


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <urn:a> FROM NAMED <urn:b> WHERE { SERVICE <urn:s> { ?s ?p ?o } }",
        "BASE <http://example.org/> SELECT ?from ?service WHERE { ?s <urn:p> 'INSERT' }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <urn:x#> SELECT (COUNT(?s) AS ?n) WHERE { ?s a ex:C . FILTER(?n > 1) } # WITH\n",
        "ASK { ? SELECT $ service }",
    ],
)
def test_scan_agrees_on_whole_queries(text: str) -> None:
    assert scan(text) == reference(text)
