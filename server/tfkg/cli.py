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
@click.option(
    "--no-reasoner", is_flag=True, help="Skip the HermiT consistency check (no Java needed)."
)
@click.pass_obj
def validate(settings: Settings, data: tuple[Path, ...], no_reasoner: bool) -> None:
    """Check the ontology, vocabularies and DATA files against every rule.

    Parses everything, runs the HermiT reasoner (through owlready2) for OWL 2 DL
    consistency, validates with the SHACL shapes in ontology/shapes.ttl, and runs every
    ontology/checks/*-violation.rq query, which must return no rows. Each violation is
    printed with its file, focus node and rule. DATA are extra RDF files or folders to
    check together with the schema.

    Exit 0 when all rules hold, 1 on violations, 2 when validation could not run.
    """
    from .validation import validate as run_validation

    try:
        report = run_validation(settings, data, reasoner=not no_reasoner)
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
@click.option("--host", help="Address to bind (default 127.0.0.1: this machine only).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option("--workers", type=int, help="Worker processes (default 2).")
@click.option("--threads", type=int, help="Threads per worker (default 4).")
@click.pass_obj
def serve(
    settings: Settings,
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
) -> None:
    """Serve tfkg over HTTP with gunicorn, bound to 127.0.0.1 unless told otherwise."""
    from .serving import serve as run_server

    chosen: dict[str, Any] = {"host": host, "port": port, "workers": workers, "threads": threads}
    run_server(load_settings({"root": settings.root, **chosen}))


if __name__ == "__main__":  # pragma: no cover
    main()
