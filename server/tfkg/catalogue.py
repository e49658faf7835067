"""The named-query catalogue: queries/*.rq files with a `#+` YAML header.

Each file stays valid SPARQL; its header declares the title, description, tags, typed
parameters and examples. Parameters are bound through the store's substitutions (pyoxigraph
binds them as values), never formatted into the query text. An undeclared or ill-typed
argument is an error naming the parameter and what it accepts.

    #+ title: Parties to an instrument on a date
    #+ params:
    #+   instrument: {type: iri, class: LegalInstrument, required: true, example: untoc}
    #+   on: {type: date, default: today}
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .errors import DataError, TfkgError
from .namespaces import ID
from .sparql.lexer import groups

PARAM_TYPES = ("iri", "jurisdiction", "date", "concept", "string", "integer", "boolean")
PARAM_KEYS = frozenset({"type", "kind", "scheme", "required", "default", "example", "description"})
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
XSD = "http://www.w3.org/2001/XMLSchema#"


class ParameterError(TfkgError):
    """An argument that is missing, undeclared or of the wrong type; names it and what it accepts."""

    def __init__(self, message: str, parameter: str, accepts: str) -> None:
        super().__init__(message)
        self.context = {"parameter": parameter, "accepts": accepts}


@dataclass(frozen=True)
class Parameter:
    """A declared, typed query parameter, bound to the variable of the same name."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    default: str | None = None
    example: str | None = None
    kind: str | None = (
        None  # for iri: the entity kind (instrument, organization…); for concept: the scheme path
    )
    values: tuple[str, ...] = ()  # for concept: the allowed keys (filled from the vocabularies)

    def accepts(self) -> str:
        if self.type == "jurisdiction":
            return "an ISO 3166-1 code (CHE, CH), EU, XKX, a name (Switzerland, UK), or a jurisdiction IRI"
        if self.type == "iri":
            article = "an" if (self.kind or "x")[0] in "aeiou" else "a"
            return f"a key or IRI of {article} {self.kind}" if self.kind else "an absolute IRI"
        if self.type == "concept":
            shown = ", ".join(self.values[:12]) + (", …" if len(self.values) > 12 else "")
            return f"a {self.kind} key ({shown}) or its IRI"
        return {
            "date": "a date YYYY-MM-DD (or 'today')",
            "string": "any text",
            "integer": "a whole number",
            "boolean": "true or false",
        }[self.type]

    def bind(self, raw: str, resolve_jurisdiction: Any = None) -> ox.NamedNode | ox.Literal:
        """The RDF term for ``raw``, or a ParameterError saying what is accepted."""
        value = raw.strip()

        def fail(reason: str = "") -> ParameterError:
            extra = f" {reason}" if reason else ""
            return ParameterError(
                f"parameter '{self.name}': {value!r} is not {self.accepts()}.{extra}",
                self.name,
                self.accepts(),
            )

        if self.type == "date":
            try:
                return ox.Literal(
                    (date.today() if value == "today" else date.fromisoformat(value)).isoformat(),
                    datatype=ox.NamedNode(XSD + "date"),
                )
            except ValueError:
                raise fail() from None
        if self.type == "integer":
            if not re.fullmatch(r"-?\d+", value):
                raise fail()
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "boolean":
            if value not in ("true", "false"):
                raise fail()
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
        if self.type == "string":
            return ox.Literal(value)
        if self.type == "jurisdiction":
            if resolve_jurisdiction is None:
                raise fail()
            return ox.NamedNode(resolve_jurisdiction(value, self.name))
        if self.type == "concept":
            key = value.rsplit("/", 1)[-1] if value.startswith("http") else value
            if self.values and key not in self.values:
                close = difflib.get_close_matches(key, self.values, n=3)
                raise fail(f"Close matches: {', '.join(close)}." if close else "")
            return ox.NamedNode(str(ID[f"{self.kind}/{key}"]))
        # iri
        if value.startswith(("http://", "https://", "urn:")):
            try:
                return ox.NamedNode(value)
            except ValueError:
                raise fail() from None
        if self.kind and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", value):
            return ox.NamedNode(str(ID[f"{self.kind}/{value}"]))
        raise fail()


@dataclass(frozen=True)
class NamedQuery:
    """One catalogue entry: metadata from the header, the query text, its parameters."""

    name: str
    title: str
    description: str
    text: str
    path: Path
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = ()
    examples: tuple[Mapping[str, str], ...] = ()
    form: str = "SELECT"

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.params if p.name == name), None)

    def bindings(
        self,
        arguments: Mapping[str, str],
        resolve_jurisdiction: Any = None,
        ignore: frozenset[str] = frozenset(),
    ) -> dict[str, ox.NamedNode | ox.Literal]:
        """Typed substitutions for ``arguments``; every problem is a ParameterError."""
        declared = {p.name for p in self.params}
        for name in arguments:
            if name not in declared and name not in ignore:
                accepted = ", ".join(sorted(declared)) or "none"
                raise ParameterError(
                    f"query '{self.name}' has no parameter '{name}'; its parameters are: {accepted}",
                    name,
                    accepted,
                )
        bound: dict[str, ox.NamedNode | ox.Literal] = {}
        for param in self.params:
            raw = arguments.get(param.name)
            if raw in (None, ""):
                if param.required:
                    raise ParameterError(
                        f"query '{self.name}' needs parameter '{param.name}': {param.accepts()}",
                        param.name,
                        param.accepts(),
                    )
                raw = param.default
            if raw is not None:
                bound[param.name] = param.bind(raw, resolve_jurisdiction)
        return bound

    def standalone_text(self, bound: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
        """The query as plain SPARQL for an editor: the values in a VALUES block, not bound apart.

        The outermost WHERE group opens with a one-row VALUES block, and so does every group
        that cannot see it (a UNION branch, a nested or GRAPH group, a sub-select) and uses one
        of the variables, so that each FILTER and BIND sees the values as it would see
        substitutions (a test checks that both give the same rows for every golden case).
        The values are RDF terms written in their N-Triples form by pyoxigraph; what a user
        gives is never pasted into the text.
        """
        lines = [f"# {self.title} (named query {self.name}: /queries/{self.name})"]
        if self.params:
            lines.append(
                "# Its parameters are bound by the VALUES blocks below; edit them to ask about other things:"
            )
            lines += [f"#   ?{p.name}: {p.description or p.accepts()}" for p in self.params]
        body = "\n".join(line for line in self.text.splitlines() if not line.startswith("#+")).strip()
        names = [p.name for p in self.params if p.name in bound]
        for group in reversed(groups(body) if names else []):
            # OPTIONAL and EXISTS groups see the values of the group around them.
            inline = [n for n in names if group.outermost or n in group.variables]
            if inline and (group.outermost or group.opened_by not in ("OPTIONAL", "EXISTS")):
                values = f" VALUES ({' '.join('?' + n for n in inline)}) {{ ({' '.join(str(bound[n]) for n in inline)}) }}"
                body = body[: group.inside] + values + body[group.inside :]
        return "\n".join(lines) + "\n" + body + "\n"


class _HeaderLoader(yaml.SafeLoader):
    """YAML 1.1 reads on/off/yes/no as booleans; in headers they are names (a parameter `on`)."""


_HeaderLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_HeaderLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_header(text: str, path: Path) -> dict[str, Any]:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        raise DataError(path, "a named query needs a '#+' YAML header (title, description, params)", 1)
    try:
        header = yaml.load("\n".join(line.removeprefix(" ") for line in lines), Loader=_HeaderLoader) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        raise DataError(path, f"the '#+' header is not valid YAML: {error}", 1) from None
    if not isinstance(header, dict):
        raise DataError(path, "the '#+' header must be a YAML mapping", 1)
    return header


def load_query(path: Path, vocab_keys: Mapping[str, tuple[str, ...]] | None = None) -> NamedQuery:
    """Read and check one .rq file: header fields, parameter types, variables in the text."""
    text = path.read_text(encoding="utf-8")
    name = path.stem
    if not _NAME.match(name):
        raise DataError(path, f"query names are snake_case; {name!r} is not")
    header = parse_header(text, path)
    for field_name in ("title", "description"):
        if not header.get(field_name):
            raise DataError(path, f"the header needs a '{field_name}'")
    params = []
    for pname, spec in (header.get("params") or {}).items():
        spec = spec or {}
        unknown = sorted(set(spec) - PARAM_KEYS, key=str)
        if unknown:
            raise DataError(
                path,
                f"parameter '{pname}': unknown key(s) {', '.join(map(repr, unknown))}; the keys are "
                f"{', '.join(sorted(PARAM_KEYS))} (quote a description that holds a comma)",
            )
        ptype = spec.get("type")
        if ptype not in PARAM_TYPES:
            raise DataError(
                path, f"parameter '{pname}': type {ptype!r} is not one of {', '.join(PARAM_TYPES)}"
            )
        if not re.search(rf"[?$]{re.escape(pname)}\b", text):
            raise DataError(path, f"parameter '{pname}' is declared but ?{pname} does not occur in the query")
        kind = str(spec.get("kind") or spec.get("scheme") or "") or None
        values = tuple((vocab_keys or {}).get(kind or "", ())) if ptype == "concept" else ()
        if ptype == "concept" and not kind:
            raise DataError(path, f"parameter '{pname}': a concept parameter needs 'scheme' (e.g. measure)")
        params.append(
            Parameter(
                name=pname,
                type=ptype,
                description=str(spec.get("description", "")),
                required=bool(spec.get("required", False)),
                default=None if spec.get("default") is None else str(spec["default"]),
                example=None if spec.get("example") is None else str(spec["example"]),
                kind=kind,
                values=values,
            )
        )
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    form = next(
        (w for w in re.findall(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, flags=re.I)), "SELECT"
    ).upper()
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        raise DataError(path, f"not valid SPARQL: {error}") from None
    return NamedQuery(
        name=name,
        title=str(header["title"]),
        description=str(header["description"]).strip(),
        text=text,
        path=path,
        tags=tuple(header.get("tags") or ()),
        params=tuple(params),
        examples=tuple({k: str(v) for k, v in ex.items()} for ex in header.get("examples") or ()),
        form=form,
    )


@dataclass
class Catalogue:
    """All named queries of a folder, by name."""

    queries: dict[str, NamedQuery] = field(default_factory=dict)

    def get(self, name: str) -> NamedQuery:
        if name not in self.queries:
            close = difflib.get_close_matches(name, self.queries, n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            error = TfkgError(f"no named query '{name}'.{hint} The catalogue is at /api/queries.")
            error.status = 404
            raise error
        return self.queries[name]


def load_catalogue(folder: Path, vocab_keys: Mapping[str, tuple[str, ...]] | None = None) -> Catalogue:
    """Load every queries/*.rq file; any broken file is an error naming it."""
    catalogue = Catalogue()
    for path in sorted(folder.glob("*.rq")):
        query = load_query(path, vocab_keys)
        catalogue.queries[query.name] = query
    return catalogue
