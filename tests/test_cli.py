"""The `tfkg` command: exit codes, help text and the documentation it writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfkg.cli import main
from tfkg.config import Settings
from tfkg.namespaces import OWL, RDF, TFKG
from tfkg.schema import load_graph, schema_files

from .conftest import FIXTURES, ROOT


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(ROOT), *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_help_lists_only_commands_that_exist() -> None:
    code, text = run("--help")
    assert code == 0
    commands = set(re.findall(r"^  (\w+)\s{2,}", text.split("Commands:")[1], flags=re.M))
    assert commands == set(main.commands)
    for name in main.commands:
        code, sub = run(name, "--help")
        assert code == 0 and len(sub.splitlines()) > 3, f"`tfkg {name} --help` says too little"


@pytest.mark.slow
def test_validate_exits_0_on_what_ships() -> None:
    code, text = run("validate")
    assert code == 0, text
    assert "HermiT: consistent" in text
    assert "all rules hold" in text


def test_validate_exits_1_and_names_file_focus_and_rule() -> None:
    fixture = FIXTURES / "invalid" / "TreatyActionShape--action-without-date.ttl"
    code, text = run("validate", "--no-reasoner", str(fixture))
    assert code == 1
    assert str(fixture) in text
    assert "https://w3id.org/tfkg/id/action/x" in text
    assert "rule: shape TreatyActionShape" in text
    assert "tfkg:actionDate" in text


def test_validate_exits_2_with_file_and_line_on_bad_syntax(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n")
    code, text = run("validate", "--no-reasoner", str(broken))
    assert code == 2
    assert f"{broken}:2" in text
    assert "Traceback" not in text


def test_docs_lists_every_class_and_property(settings: Settings, tmp_path: Path) -> None:
    target = tmp_path / "ontology.html"
    code, text = run("docs", "--output", str(target))
    assert code == 0, text
    html = target.read_text(encoding="utf-8")
    graph = load_graph([schema_files(settings).ontology])
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {t for k in kinds for t in graph.subjects(RDF.type, k) if str(t).startswith(str(TFKG))}
    missing = [t for t in terms if str(t) not in html]
    assert not missing, f"the page does not list {missing}"
