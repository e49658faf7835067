"""The data contract: what ships conforms, and every shape and check can fail.

Fixture names say what must fail: ``<ShapeName>--<case>.ttl`` must be reported by that
SHACL shape, ``check-<name>--<case>.ttl`` by that zero-row check, ``reasoner--<case>.ttl``
by HermiT. Every shape and every check must have at least one such fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tfkg.config import Settings
from tfkg.namespaces import SH, SHAPES
from tfkg.schema import load_graph, schema_files
from tfkg.validation import validate
from tfkg.validation.checks import load_check

from .conftest import FIXTURES

INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))


def _rule_for(fixture: Path) -> tuple[str, bool]:
    """The rule a fixture must break, and whether HermiT must run to see it."""
    subject = fixture.stem.split("--")[0]
    if subject == "reasoner":
        return "OWL 2 DL reasoning (HermiT)", True
    if subject.startswith("check-"):
        return f"check {subject.removeprefix('check-')}:", False
    return f"shape {subject}", False


def test_the_schema_conforms(settings: Settings) -> None:
    report = validate(settings, reasoner=False, tables=False)
    assert report.ok, report.describe()


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fails_with_its_rule_named(settings: Settings, fixture: Path) -> None:
    rule, needs_reasoner = _rule_for(fixture)
    report = validate(settings, [fixture], reasoner=needs_reasoner, tables=False)
    assert not report.ok, f"{fixture.name} should break {rule}"
    rules = {v.rule for v in report.violations}
    assert any(r.startswith(rule) for r in rules), f"expected {rule}, got {rules}"
    for violation in report.violations:
        if violation.rule.startswith(rule) and violation.focus.startswith("https://"):
            assert violation.file == str(fixture), "the violation must name the file it is in"


def test_every_shape_has_a_failing_fixture(settings: Settings) -> None:
    shapes = load_graph([schema_files(settings).shapes])
    names = {str(s).removeprefix(str(SHAPES)) for s in shapes.subjects(predicate=None, object=SH.NodeShape)}
    covered = {p.stem.split("--")[0] for p in INVALID}
    assert names, "no shapes found"
    assert not names - covered, f"shapes without an invalid fixture: {sorted(names - covered)}"


def test_every_check_has_a_failing_fixture(settings: Settings) -> None:
    checks = {load_check(p).name for p in schema_files(settings).checks}
    covered = {p.stem.split("--")[0].removeprefix("check-") for p in INVALID}
    assert not checks - covered, f"checks without an invalid fixture: {sorted(checks - covered)}"
