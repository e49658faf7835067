"""Settings: defaults, TFKG_* variables, overrides, and their documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfkg.config import SETTINGS, load_settings

from .conftest import ROOT


def test_defaults_are_closed() -> None:
    settings = load_settings(environ={})
    assert settings.host == "127.0.0.1"
    assert settings.root == ROOT


def test_environment_then_overrides() -> None:
    env = {"TFKG_PORT": "9001", "TFKG_HOST": "10.0.0.5", "TFKG_BUILD_DIR": "/srv/x"}
    settings = load_settings({"port": 9002}, environ=env)
    assert settings.port == 9002
    assert settings.host == "10.0.0.5"
    assert settings.build_path == Path("/srv/x")


def test_bad_number_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="TFKG_PORT must be a whole number"):
        load_settings(environ={"TFKG_PORT": "eighty"})


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name, _ in SETTINGS if name not in readme]
    assert not missing, f"README.md does not document {missing}"
