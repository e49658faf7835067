"""The `tfkg` command: one group, one subcommand per task.

Exit codes follow pySHACL's convention: 0 when everything holds, 1 when rules are broken,
2 when the command could not run (a file that does not parse, a missing Java runtime).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import SETTINGS, Settings, load_settings
from .errors import TfkgError

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2

_SETTINGS_HELP = "\n".join(f"  {name:<18} {text}" for name, text in SETTINGS)


@click.group(
    epilog="Settings come from TFKG_* environment variables:\n\n\b\n" + _SETTINGS_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="tfkg")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="tfkg checkout to work on (default: TFKG_ROOT or the checkout tfkg was installed from).",
)
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """tfkg: a knowledge graph of international cooperation against organized crime."""
    try:
        ctx.obj = load_settings({"root": root})
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _fail(error: TfkgError) -> None:
    click.echo(f"error: {error.message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command()
@click.argument("data", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--no-reasoner", is_flag=True, help="Skip the HermiT consistency check (no Java needed).")
@click.pass_obj
def validate(settings: Settings, data: tuple[Path, ...], no_reasoner: bool) -> None:
    """Check the ontology, vocabularies and data against every rule.

    Parses everything, runs the HermiT reasoner (through owlready2) for OWL 2 DL
    consistency, validates with the SHACL shapes in ontology/shapes.ttl, and runs every
    ontology/checks/*-violation.rq query, which must return no rows. Each violation is
    printed with its file (and table line), focus node and rule.

    Without DATA, checks what ships: the schema and every table in data/. With DATA (RDF
    files or folders), checks those against the schema instead.

    Exit 0 when all rules hold, 1 on violations, 2 when validation could not run.
    """
    from .validation import validate as run_validation

    try:
        report = run_validation(settings, data, reasoner=not no_reasoner, tables=not data)
    except TfkgError as error:
        _fail(error)
        return
    click.echo(report.describe())
    sys.exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)


@main.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the page (default: build/docs/ontology.html).",
)
@click.pass_obj
def docs(settings: Settings, output: Path | None) -> None:
    """Write HTML documentation of the ontology with pyLODE.

    Lists every class and property with its label, definition, domain and range. The page
    is generated, not committed; `tfkg serve` shows it at /ontology.
    """
    from .docs import write_docs

    try:
        target = write_docs(settings, output)
    except TfkgError as error:
        _fail(error)
        return
    click.echo(f"wrote {target}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--host", help="Address to bind (default 127.0.0.1: this machine only).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option("--workers", type=int, help="Worker processes (default 2).")
@click.option("--threads", type=int, help="Threads per worker (default 4).")
@click.option("--timeout", "query_timeout", type=float, help="Query deadline in seconds (default 10).")
@click.pass_obj
def serve(
    settings: Settings,
    paths: tuple[Path, ...],
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
    query_timeout: float | None,
) -> None:
    """Serve tfkg over HTTP with granian, bound to 127.0.0.1 unless told otherwise.

    Serves the built dataset (build/dataset/tfkg.nq), or the RDF files and folders given as
    PATHS instead (named graphs are kept from TriG and N-Quads files). The SPARQL endpoint
    is at /sparql, the VoID description at /void.
    """
    from .serving import serve as run_server

    chosen: dict[str, Any] = {
        "host": host,
        "port": port,
        "workers": workers,
        "threads": threads,
        "query_timeout": query_timeout,
        "dataset": ":".join(str(p.resolve()) for p in paths) or None,
    }
    try:
        chosen_settings = load_settings({"root": settings.root, "build_dir": settings.build_dir, **chosen})
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        run_server(chosen_settings)
    except TfkgError as error:
        _fail(error)


@main.command()
@click.argument("text", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from a file.",
)
@click.option("--named", help="Run a query of the catalogue (queries/NAME.rq) instead; see --list.")
@click.option(
    "--param", "params", multiple=True, metavar="K=V", help="A parameter of the named query (repeatable)."
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "--format", "fmt", help="json, xml, csv, tsv for SELECT/ASK; turtle, ntriples, rdfxml, jsonld for graphs."
)
@click.option(
    "--data",
    "paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Query these RDF files instead of the build.",
)
@click.pass_obj
def query(
    settings: Settings,
    text: str | None,
    query_file: Path | None,
    named: str | None,
    params: tuple[str, ...],
    list_queries: bool,
    fmt: str | None,
    paths: tuple[Path, ...],
) -> None:
    """Run a SPARQL query, or a named query of the catalogue, against the same store the server uses.

    The same guards apply as on the endpoint: read-only, no SERVICE, a deadline and a row
    cap. Named-query parameters are typed and bound, never pasted into the text:
    `tfkg query --named parties_on_date --param instrument=untoc --param on=2010-01-01`.
    Exit 0 on success, 2 on an error (with the parser's message and position).
    """
    from .catalogue import load_catalogue
    from .lookup import Lookup
    from .namespaces import SERIALIZATION_PREFIXES
    from .sparql.engine import SparqlEngine, SparqlRequest, limits_from
    from .store import EmbeddedStore

    sources = sum(x is not None for x in (text, query_file, named)) + list_queries
    if sources != 1:
        raise click.UsageError("give exactly one of TEXT, --file, --named or --list")
    try:
        store = EmbeddedStore.from_files(list(paths) or list(settings.dataset_paths))
        substitutions = None
        if named is not None or list_queries:
            lookup = Lookup.from_store(store)
            catalogue = load_catalogue(settings.queries_dir, lookup.concepts)
            if list_queries:
                for entry in catalogue.queries.values():
                    shown = ", ".join(f"{p.name}:{p.type}{'' if p.required else '?'}" for p in entry.params)
                    click.echo(f"{entry.name:<34} {entry.title}  [{shown}]")
                return
            entry = catalogue.get(str(named))
            arguments = {}
            for item in params:
                key, sep, value = item.partition("=")
                if not sep:
                    raise click.UsageError(f"--param takes K=V, got {item!r}")
                arguments[key] = value
            substitutions = entry.bindings(arguments, lookup.jurisdiction)
            source = entry.text
        else:
            source = text if text is not None else query_file.read_text(encoding="utf-8")  # type: ignore[union-attr]
        engine = SparqlEngine(store, limits_from(settings), SERIALIZATION_PREFIXES, threads=1)
        answer = engine.run(
            SparqlRequest(
                query=source, format=fmt or None, substitutions=substitutions, trusted=named is not None
            )
        )
    except TfkgError as error:
        _fail(error)
        return
    sys.stdout.buffer.write(answer.body)
    if not answer.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    if "X-TFKG-Truncated" in answer.headers:
        click.echo(f"note: {answer.headers['X-TFKG-Truncated']}", err=True)


@main.command()
@click.argument("requesting", metavar="FROM")
@click.argument("requested", metavar="TO")
@click.option("--crime", required=True, help="Crime area key, e.g. drug-trafficking (narrower areas count).")
@click.option(
    "--measure",
    required=True,
    help="mutual-legal-assistance, extradition, police-information-exchange, financial-intelligence, "
    "asset-recovery or joint-investigation-team (or another key of the measures scheme).",
)
@click.option("--on", "on", help="The date, YYYY-MM-DD (default today).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the answer as JSON (as /api/pathways returns it)."
)
@click.option("--why-not", is_flag=True, help="Also list every candidate that did not apply, and why.")
@click.pass_obj
def pathway(
    settings: Settings,
    requesting: str,
    requested: str,
    crime: str,
    measure: str,
    on: str | None,
    as_json: bool,
    why_not: bool,
) -> None:
    """Which legal bases and channels let FROM obtain a measure from TO, and why.

    FROM and TO are ISO 3166-1 codes (DEU, DE), EU, or names. Each basis and channel is
    printed with the rules that admitted it, the facts behind them and their sources with
    snapshot dates; conditions (reservations, declarations, scope) and stale sources are
    flagged.
    """
    import json

    from .build.derive import ensure_derived
    from .pathways import PathwayService
    from .pathways import as_json as answer_json
    from .pathways.render import render
    from .store import EmbeddedStore

    try:
        store = EmbeddedStore.from_files(list(settings.dataset_paths))
        ensure_derived(store)  # data served without `tfkg build` gets its bindings here
        service = PathwayService(store)
        answer = service.ask(requesting, requested, crime, measure, on)
    except TfkgError as error:
        _fail(error)
        return
    click.echo(
        json.dumps(answer_json(answer), indent=2, ensure_ascii=False) if as_json else render(answer, why_not)
    )


@main.command("build")
@click.pass_obj
def build_command(settings: Settings) -> None:
    """Build the dataset from data/ and ontology/ into build/dataset/.

    Writes tfkg.nq (N-Quads: the ontology, the vocabularies, the source records, one named
    graph per source and graph/inferred, the RDFS entailments of the class and property
    hierarchy), tfkg.ttl (a Turtle dump of the union) and stats.json (triples per graph,
    entities per asserted class). Every table row is checked as it is converted; SHACL
    and the quality checks then run on the result. A bad row is refused with its file, line
    and the rule it breaks (exit 1), and the previous build stays in place.
    """
    from .build import BuildRefused, build

    try:
        result = build(settings)
    except BuildRefused as refusal:
        click.echo(refusal.message, err=True)
        sys.exit(EXIT_VIOLATIONS)
    except TfkgError as error:
        _fail(error)
        return
    click.echo(result.describe())


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the coverage report as JSON.")
@click.pass_obj
def stats_command(settings: Settings, as_json: bool) -> None:
    """Coverage of the built graph against what the sources themselves state.

    For each instrument, the parties tfkg knows and the snapshot they reflect next to the
    depositary's count and its date (UNTOC: 179 parties in the 2014 table, 189 in the
    January 2018 UNTC header); for each organization, the members known; then the known
    gaps. Run `tfkg build` first.
    """
    import json

    from .build import DATASET_FILE, dataset_folder
    from .build.coverage import coverage

    path = dataset_folder(settings) / DATASET_FILE
    if not path.is_file():
        _fail(TfkgError(f"{path} does not exist: run `tfkg build` first"))
    report = coverage(path)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.describe())


@main.command("export")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["nquads", "trig", "turtle"]),
    help="Formats to write (repeatable; default all three).",
)
@click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder (default build/downloads)."
)
@click.pass_obj
def export_command(settings: Settings, formats: tuple[str, ...], output: Path | None) -> None:
    """Write the whole built dataset as gzipped N-Quads, TriG and Turtle, with a DCAT description.

    The same files /downloads serves; they contain exactly the built graph.
    """
    from .build import DATASET_FILE, dataset_folder
    from .export import export

    try:
        written = export(
            dataset_folder(settings) / DATASET_FILE,
            output or settings.build_path / "downloads",
            list(formats) or None,
            settings.base_iri,
        )
    except TfkgError as error:
        _fail(error)
        return
    for path in written:
        click.echo(f"wrote {path}")


@main.group("import")
def import_group() -> None:
    """Import official files and convert reference tables into data/.

    Each importer writes the project's own tables (never a copy of the source) and records
    the source with its snapshot date in data/sources.csv. Running one again on the same
    input changes nothing.
    """


def _report(lines: list[str] | str) -> None:
    for line in [lines] if isinstance(lines, str) else lines:
        click.echo(line)


@import_group.command("untc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--snapshot-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="The date the file was downloaded (the status it reflects), YYYY-MM-DD.",
)
@click.option("--source-key", help="Key for data/sources.csv (default untc-{reference}-{YYYY-MM}).")
@click.pass_obj
def import_untc_command(settings: Settings, file: Path, snapshot_date: Any, source_key: str | None) -> None:
    """Import a UN Treaty Collection status file (MTDSG XML) for one treaty.

    Reads the header (entry into force, registration, the depositary's counts), the
    participant table (signature and consent columns with their suffix codes a, A, AA, d, c),
    and the declarations, reservations, objections, notifications and territorial
    applications attached to each party. Writes data/treaty-actions/{instrument}.csv,
    data/statements/{instrument}.csv, data/depositary-status.csv and the source record.
    The treaty needs a row in data/instruments.csv with its untc_reference.
    """
    from .importers.untc import import_untc

    try:
        _report(import_untc(settings, file, snapshot_date.date(), source_key).describe())
    except TfkgError as error:
        _fail(error)


@import_group.command("coe")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--snapshot-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date the chart reflects, YYYY-MM-DD (default: the page's 'Status as of').",
)
@click.option("--source-key", help="Key for data/sources.csv (default coe-chart-{instrument}-{date}).")
@click.pass_obj
def import_coe_command(settings: Settings, file: Path, snapshot_date: Any, source_key: str | None) -> None:
    """Import a Council of Europe chart of signatures and ratifications (the HTML page).

    Reads each State's signature, ratification (accession or succession where the Notes say
    a or su) and entry into force, and the R. D. A. T. C. O. marks, each recorded as a
    statement of the kind it names, without text or date (the chart gives none). Replaces
    this source's rows in data/treaty-actions/{instrument}.csv and data/statements/
    {instrument}.csv, keeping other sources' rows; records the source, and the chart's totals
    in data/depositary-status.csv when the page has them. The treaty needs a row in
    data/instruments.csv with its cets_number.
    """
    from .importers.coe import import_coe

    try:
        when = snapshot_date.date() if snapshot_date else None
        _report(import_coe(settings, file, when, source_key).describe())
    except TfkgError as error:
        _fail(error)


@import_group.command("all")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    help="Reference material folder (default: TFKG_SHARED_DIR or ../shared).",
)
@click.pass_obj
def import_all_command(settings: Settings, shared: Path | None) -> None:
    """Rerun every conversion listed in data/conversions.yaml, in order.

    UNTC status files, the 2014 UNTC participant tables, the jurisdictions (ISO 3166-1 via
    pycountry, UN membership), the Egmont, FATF/FSRB and INTERPOL membership lists.
    """
    from .importers.manifest import run_all

    try:
        _report(run_all(settings, shared or settings.shared_path))
    except TfkgError as error:
        _fail(error)


@main.group("refresh")
def refresh_group() -> None:
    """Bring data/ up to date from the depositaries' live files (UNTC, Council of Europe).

    Downloads the current files, reads them with the same importers as `tfkg import`, and
    prints what would change, by instrument. Only --apply writes data/ and rebuilds. A
    timeout, an HTTP error or a file in a format the importer does not know stops the refresh
    with one line and changes nothing. Base URLs: TFKG_UNTC_URL, TFKG_COE_URL.
    """


def _refresh_options(command: Any) -> Any:
    command = click.option(
        "--snapshot-date",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Date the fetched status reflects (default: the date the page states, else today).",
    )(command)
    command = click.option(
        "--apply", is_flag=True, help="Write the refreshed tables into data/ and rebuild."
    )(command)
    return click.option(
        "--timeout", type=float, help="Seconds to wait for the server (TFKG_REFRESH_TIMEOUT)."
    )(command)


def _run_refresh(
    settings: Settings, targets: Any, snapshot_date: Any, apply: bool, timeout: float | None
) -> None:
    from dataclasses import replace

    from .refresh import refresh

    try:
        if timeout is not None:
            if not 0 < timeout <= 3600:
                raise TfkgError("--timeout must be between 0 and 3600 seconds")
            settings = replace(settings, refresh_timeout=timeout)
        report = refresh(settings, targets(settings), snapshot_date.date() if snapshot_date else None, apply)
    except TfkgError as error:
        _fail(error)
        return
    _report(report.describe())


@refresh_group.command("untc")
@click.option("--chapter", help="MTDSG chapter in Roman numerals, e.g. XVIII (with --number).")
@click.option("--number", help="Treaty number in the chapter, e.g. 12 or 12-a (with --chapter).")
@_refresh_options
@click.pass_obj
def refresh_untc_command(
    settings: Settings,
    chapter: str | None,
    number: str | None,
    snapshot_date: Any,
    apply: bool,
    timeout: float | None,
) -> None:
    """Fetch the UN Treaty Collection's MTDSG status XML: one treaty, or every one data/ uses.

    From TFKG_UNTC_URL (https://treaties.un.org/doc/Publication/MTDSG) +
    /Volume%20II/Chapter%20XVIII/XVIII-12-a.en.xml; without --chapter and --number, the UNTC
    files listed in data/conversions.yaml.
    """
    from .refresh import untc_targets

    _run_refresh(settings, lambda s: untc_targets(s, chapter, number), snapshot_date, apply, timeout)


@refresh_group.command("coe")
@click.argument("number", type=click.IntRange(1, 999))
@_refresh_options
@click.pass_obj
def refresh_coe_command(
    settings: Settings, number: int, snapshot_date: Any, apply: bool, timeout: float | None
) -> None:
    """Fetch the Council of Europe chart of signatures and ratifications of treaty NUMBER.

    From TFKG_COE_URL, by default
    https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=NUMBER.
    """
    from .refresh import coe_targets

    _run_refresh(settings, lambda s: coe_targets(s, number), snapshot_date, apply, timeout)


if __name__ == "__main__":  # pragma: no cover
    main()
