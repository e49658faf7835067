"""A small SPARQL scanner: enough to decide, before evaluation, what a request would do.

It skips comments, string literals and IRIs, so that a keyword inside a string ("SERVICE" in a
label) or an IRI never counts, and reports the operation kind (query or update), whether the
text uses SERVICE, and the IRIs after FROM and FROM NAMED. The engine's own parser still
decides whether the text is valid SPARQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


@dataclass
class Scan:
    """What a SPARQL text would do, as far as the guards need to know."""

    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None
    update_keywords: list[str] = field(default_factory=list)
    uses_service: bool = False
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    base: str | None = None

    @property
    def is_update(self) -> bool:
        return self.form is None and bool(self.update_keywords)


def scan(text: str) -> Scan:
    """Scan ``text``; never raises on malformed input (the parser reports that)."""
    result = Scan()
    previous: list[str] = []
    pending_from: str | None = None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind in ("comment", "long", "string"):
            previous.append(kind)
            continue
        if kind == "iri":
            if pending_from is not None:
                target = result.from_named_graphs if pending_from == "NAMED" else result.from_graphs
                target.append(value[1:-1])
                pending_from = None
            elif previous[-1:] == ["BASE"]:
                result.base = value[1:-1]
            previous.append("iri")
            continue
        word = value.upper() if kind == "word" else value
        if kind == "word" and previous[-1:] in (["?"], ["$"]):
            previous.append("variable")  # ?from, $select: a variable, never a keyword
            continue
        if kind == "word":
            if result.form is None and word in QUERY_FORMS:
                result.form = word
            if word in UPDATE_KEYWORDS and previous[-1:] != ["?"] and previous[-1:] != ["$"]:
                result.update_keywords.append(word)
            if word == "SERVICE" and previous[-1:] not in (["?"], ["$"]):
                result.uses_service = True
            if word == "FROM":
                pending_from = "DEFAULT"
            elif word == "NAMED" and pending_from == "DEFAULT":
                pending_from = "NAMED"
        previous.append(word)
    return result


def keyword_offsets(text: str, keyword: str) -> list[int]:
    """Where ``keyword`` stands as a keyword (not in a string, IRI or comment)."""
    wanted = keyword.upper()
    return [m.start() for m in _TOKEN.finditer(text) if m.lastgroup == "word" and m.group().upper() == wanted]
