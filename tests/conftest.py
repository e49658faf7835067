"""Shared fixtures: the checkout's settings, the reference material, and its absence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tfkg.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for this checkout, building into a temporary folder (never into build/)."""
    return load_settings({"root": ROOT, "build_dir": tmp_path_factory.mktemp("build")}, environ={})


@pytest.fixture(scope="session")
def shared(settings: Settings) -> Path:
    """The reference material folder; tests that need it skip, saying why, where it is absent."""
    path = settings.shared_path
    if not (path / "sources").is_dir():
        pytest.skip(f"reference material not found at {path}/sources (set TFKG_SHARED_DIR)")
    return path


@pytest.fixture
def scratch(tmp_path: Path) -> Settings:
    """A throwaway checkout: this one's ontology and a copy of its data/, building into tmp."""
    root = tmp_path / "checkout"
    root.mkdir()
    (root / "ontology").symlink_to(ROOT / "ontology")
    shutil.copytree(ROOT / "data", root / "data")
    return load_settings(
        {"root": root, "build_dir": tmp_path / "build", "shared_dir": ROOT.parent / "shared"}, environ={}
    )


@pytest.fixture(scope="session")
def built_dataset(settings: Settings) -> Path:
    """This checkout's data built once per test session (into a temporary folder)."""
    from tfkg.build import DATASET_FILE, build

    return build(settings).folder / DATASET_FILE


@pytest.fixture(scope="session")
def shared_or_none(settings: Settings) -> Path | None:
    """The reference material folder where present; tests that only use it for more cases run without it."""
    path = settings.shared_path
    return path if (path / "sources").is_dir() else None
