"""tfkg: an open knowledge graph of international cooperation against organized crime."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tfkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
