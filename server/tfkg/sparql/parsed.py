"""Decisions taken on the parsed query, by a real SPARQL parser, not by scanning its text.

Why: a scanner that must agree with the engine's parser is wrong wherever they read the text
differently. Issue 13 found three such places: a carriage return ends a comment for
pyoxigraph but not for a line-based scanner; ``ex:a\\#`` hid the rest of a line; and SPARQL's
codepoint escapes (``\\u0053ERVICE``) are expanded before parsing. So:

1. :func:`canonical` makes the text both parsers read the same way: codepoint escapes are
   expanded here (pyoxigraph then finds none to expand; an escape that survives expansion is
   refused), and every line end becomes ``\\n``, as XML normalises them. What is checked is
   exactly what is sent to the engine.
2. :func:`check_nesting` bounds the nesting depth in linear time, so that no parser (rdflib's
   or the engine's) recurses without limit: issue 13 crashed workers with 950 nested CONCAT(.
3. :func:`refuse_remote` parses the canonical text with rdflib's SPARQL 1.1 parser and refuses
   SERVICE (and, in updates, LOAD) found in the parse tree.

Behind these stands the OS-level wall (:mod:`.wall`): the process that evaluates cannot open
a socket, so even a parse that disagrees reaches nothing.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import TfkgError

#: Deepest nesting of ( { [ accepted, and the longest run of ! (each a nesting level for the
#: parsers). Real queries stay under 20; the engine's and rdflib's parsers handle far more on
#: the evaluators' large stacks (STACK_BYTES), so this leaves a wide margin both ways.
MAX_NESTING = 200
#: Stack for the threads that parse and evaluate, and the recursion limit that goes with it:
#: rdflib's parser takes some 40 Python frames per nesting level.
STACK_BYTES = 256 * 1024 * 1024
RECURSION_LIMIT = 50_000

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_BRACKET = re.compile(r"[(){}\[\]]")
_BANGS = re.compile(r"!(?:\s*!)*")
_DEPTH = {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}


class QueryRefusedError(TfkgError):
    """A request refused on its parsed form; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, **position: int) -> None:
        super().__init__(message)
        self.status = status
        self.position = position  # line and column of a syntax error


def _expand(match: re.Match[str]) -> str:
    code = int(match[1] or match[2], 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise QueryRefusedError(f"{match[0]} is not a Unicode code point a SPARQL text may hold.")
    return chr(code)


def canonical(text: str) -> str:
    """The text with codepoint escapes expanded and line ends as ``\\n`` (linear time)."""
    expanded = _ESCAPE.sub(_expand, text) if "\\u" in text or "\\U" in text else text
    if _ESCAPE.search(expanded):
        raise QueryRefusedError(
            "The query holds a codepoint escape (\\u or \\U) that spells another escape; write "
            "the character itself."
        )
    return expanded.replace("\r\n", "\n").replace("\r", "\n")


def check_nesting(text: str) -> None:
    """Refuse nesting deeper than MAX_NESTING (linear: one regex pass per kind).

    Brackets inside strings count too: a literal with 200 unclosed "(" is refused with a
    message that says how to write it instead, which no real query will meet.
    """
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        depth += _DEPTH[match[0]]
        if depth > deepest:
            deepest = depth
            if deepest > MAX_NESTING:
                break
    bangs = max((run.count("!") for run in _BANGS.findall(text)), default=0)
    if deepest > MAX_NESTING or bangs > MAX_NESTING:
        raise QueryRefusedError(
            f"The query nests brackets (or '!') more than {MAX_NESTING} deep; tfkg refuses it "
            "before parsing so that no parser runs out of stack. Flatten it (a literal full of "
            "brackets can be written with \\u0028 escapes inside the string)."
        )


def _contains(tree: object, names: frozenset[str]) -> str | None:
    """The first parse-tree node named in ``names``, walked without recursion."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name in names:
                return str(node.name)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)  # type: ignore[arg-type]
    return None


@lru_cache(maxsize=512)
def refuse_remote(text: str, update: bool = False) -> None:
    """Parse ``text`` (canonical) and refuse SERVICE, and LOAD in an update.

    Cached: rdflib's parser costs milliseconds, and clients repeat their queries.
    """
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except ParseException as error:
        raise QueryRefusedError(
            f"The {'update' if update else 'query'} is not valid SPARQL 1.1: {error.msg} at line "
            f"{error.lineno}, column {error.col}.",
            line=error.lineno,
            column=error.col,
        ) from None
    except RecursionError:
        raise QueryRefusedError("The query nests too deeply to parse; flatten it.") from None
    found = _contains(tree, frozenset({"ServiceGraphPattern", "Load"} if update else {"ServiceGraphPattern"}))
    if found == "ServiceGraphPattern":
        raise QueryRefusedError(
            "SERVICE is refused: tfkg answers from its own dataset and queries no other endpoint.", 403
        )
    if found == "Load":
        raise QueryRefusedError("LOAD is refused: tfkg never fetches remote or file graphs.", 403)
