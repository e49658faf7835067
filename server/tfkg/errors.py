"""The error types tfkg raises. Each says what is wrong and how to fix it.

The CLI prints them without a stack trace (exit code 2); the web layer turns them into one
JSON error shape. Bugs are not wrapped: an unexpected exception is a bug to fix, not a 400.
"""

from __future__ import annotations

from pathlib import Path


class TfkgError(Exception):
    """A problem the user can fix: bad input, a missing file, a missing system package."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DataError(TfkgError):
    """A data or schema file cannot be read; names the file and, where known, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


class ReasonerUnavailableError(TfkgError):
    """The OWL reasoner cannot run here (HermiT needs a Java runtime)."""

    status = 500
