"""A small SPARQL scanner: enough to decide, before evaluation, what a request would do.

It skips comments, string literals and IRIs, so that a keyword inside a string ("SERVICE" in a
label) or an IRI never counts, and reports the operation kind (query or update), whether the
text uses SERVICE, and the IRIs after FROM and FROM NAMED. The engine's own parser still
decides whether the text is valid SPARQL, and no security decision rests on this scan: SERVICE
is refused from rdflib's parse tree (parsed.py), behind the evaluators' seccomp wall (wall.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Comments, strings and IRIs: skipped by every scan, so that what they hold never counts.
#: A string that is never closed runs to the end of its line (a long string, of the text)
#: instead of failing: a failed match would be retried from every later quote, which made the
#: scan quadratic (96 KB of escaped quotes took 94 s, issue 13). The parser reports the error.
_SKIPPED = r"""
    (?P<comment>\#[^\n]*)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z))
  | (?P<string>'(?:[^'\\\n]|\\.)*(?:'|(?=\n)|\Z)|"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|\Z))
  | (?P<iri><[^<>"{}|^`\\\s]*>)
"""
_WORD = r"[A-Za-z_][A-Za-z0-9_-]*"
_TOKEN = re.compile(
    _SKIPPED + rf"| (?P<word>{_WORD}) | (?P<other>\S)",
    re.VERBOSE | re.DOTALL,
)
#: The same tokens for the guards, in fewer steps: a variable (?name, $name) is one token, and
#: a run of characters that can start no other token (punctuation, digits) is one "other".
#: ``?`` and ``$`` never join a run, so a word after a lone ``?`` is still a variable.
_GUARD_TOKEN = re.compile(
    _SKIPPED + rf"""| (?P<variable>[?$]{_WORD}) | (?P<word>{_WORD}) | (?P<other>[^\sA-Za-z_\#'"<?$]+|\S)""",
    re.VERBOSE | re.DOTALL,
)
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_GUARDED = UPDATE_KEYWORDS | QUERY_FORMS | {"SERVICE", "FROM", "NAMED"}


@dataclass
class Scan:
    """What a SPARQL text would do, as far as the guards need to know."""

    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None
    update_keywords: list[str] = field(default_factory=list)
    uses_service: bool = False
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    #: FROM or FROM NAMED followed by something other than a full IRI (a prefixed name, say),
    #: which the guards cannot check against the dataset.
    unreadable_from: bool = False
    base: str | None = None

    @property
    def is_update(self) -> bool:
        return self.form is None and bool(self.update_keywords)


def _in_prefixed_name(text: str, start: int, end: int) -> bool:
    """Whether the word at text[start:end] is a prefix or local name (ex:from, service:x)."""
    return (start > 0 and text[start - 1] == ":") or text[end : end + 1] == ":"


def scan(text: str) -> Scan:
    """Scan ``text``; never raises on malformed input (the parser reports that).

    It runs before every query, so it does the least per token: only the words the guards
    look at are examined, and only the previous token is remembered.
    """
    result = Scan()
    last = ""  # the previous token: a word in upper case, "?", "$", or what it was
    pending_from: str | None = None
    for match in _GUARD_TOKEN.finditer(text):
        kind = match.lastgroup
        if (
            pending_from is not None
            and kind not in ("iri", "comment")
            and not (kind == "word" and pending_from == "DEFAULT" and match.group().upper() == "NAMED")
        ):
            result.unreadable_from, pending_from = True, None
        if kind == "word":
            if last == "?" or last == "$":
                last = "variable"  # ? from, $ select: a variable, never a keyword
                continue
            last = word = match.group().upper()
            if word not in _GUARDED or _in_prefixed_name(text, match.start(), match.end()):
                continue
            if result.form is None and word in QUERY_FORMS:
                result.form = word
            if word in UPDATE_KEYWORDS:
                result.update_keywords.append(word)
            elif word == "SERVICE":
                result.uses_service = True
            elif word == "FROM":
                pending_from = "DEFAULT"
            elif word == "NAMED" and pending_from == "DEFAULT":
                pending_from = "NAMED"
        elif kind == "iri":
            if pending_from is not None:
                target = result.from_named_graphs if pending_from == "NAMED" else result.from_graphs
                target.append(match.group()[1:-1])
                pending_from = None
            elif last == "BASE":
                result.base = match.group()[1:-1]
            last = "iri"
        elif kind == "other":
            last = match.group()
        else:
            last = kind or ""  # a comment, string or variable
    return result


def keyword_offsets(text: str, keyword: str) -> list[int]:
    """Where ``keyword`` stands as a keyword (not in a string, IRI or comment)."""
    wanted = keyword.upper()
    return [m.start() for m in _TOKEN.finditer(text) if m.lastgroup == "word" and m.group().upper() == wanted]


@dataclass
class Group:
    """A group graph pattern of a query's WHERE clause, as far as inline values need to know."""

    inside: int  # offset just after its '{'
    opened_by: str  # WHERE, OPTIONAL, EXISTS, MINUS, GRAPH, UNION or '' (a plain nested group)
    variables: set[str] = field(default_factory=set)  # variables standing directly in it
    outermost: bool = False


def groups(text: str) -> list[Group]:
    """The group graph patterns after the first WHERE, outermost first.

    Left out: the outer brace of a sub-select (nothing may stand before its SELECT) and the
    braces of VALUES data blocks. Used by NamedQuery.standalone_text to give each group that
    needs them the values that substitutions would bind.
    """
    tokens = [(m.group(), m.lastgroup, m.end()) for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]
    found: list[Group] = []
    stack: list[Group | None] = []  # None: a sub-select's outer brace
    where_seen = values_pending = in_data = False
    opener = ""
    for index, (value, kind, end) in enumerate(tokens):
        previous = tokens[index - 1][0] if index else ""
        if kind == "word" and previous in ("?", "$"):
            if stack and stack[-1] is not None:
                stack[-1].variables.add(value)
            continue
        word = value.upper() if kind == "word" else ""
        if word in ("WHERE", "OPTIONAL", "EXISTS", "MINUS", "GRAPH", "UNION"):
            where_seen = where_seen or word == "WHERE"
            opener = word
        elif word == "VALUES":
            values_pending = True
        elif kind == "other" and value == "{" and where_seen:
            following = tokens[index + 1][0].upper() if index + 1 < len(tokens) else ""
            if values_pending:
                values_pending, in_data = False, True
            elif following == "SELECT":
                stack.append(None)
            else:
                group = Group(end, opener, outermost=not found)
                found.append(group)
                stack.append(group)
            opener = ""
        elif kind == "other" and value == "}":
            if in_data:
                in_data = False
            elif stack:
                stack.pop()
        elif kind == "other" and value == ".":
            opener = ""
    return found
