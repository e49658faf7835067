"""The names people type for countries ("UK", "Ivory Coast", "Burma", "Türkiye"), from country_converter.

country_converter keeps one regular expression per country, matching the names in common use,
in its table ``country_data.tsv``; its maintainers keep the table plain so that it can be used
outside their code (IndEcol/country_converter issue #26). We read that table with the csv
module rather than through ``CountryConverter``: the class imports pandas (0.2 s and about
58 MB more per server worker, measured) and, with pandas 3, fails to construct because it
reads Namibia's ISO code "NA" as missing. The rows and matching are the library's own: obsolete
rows are left out as ``CountryConverter()`` leaves them out, and a pattern is *searched* in
the text as ``convert(..., src="regex")`` searches it.

What the table lacks, or gets wrong for us, is below, each with the reason.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import TfkgError

#: Names people type for a state that country_converter 1.3.2's patterns do not match. Both are
#: loose ("America" is also the continent, "Holland" two Dutch provinces), but in a field that
#: asks for a jurisdiction they mean the United States and the Netherlands. The EU and Kosovo
#: need nothing here: the store's own key and label ("EU", "European Union") and the library's
#: XKX cover them.
EXTRA_NAMES: dict[str, str] = {"america": "USA", "holland": "NLD"}

#: Parts of a state that people type as if they were states. country_converter's GBR pattern
#: accepts "England", but no treaty or cooperation channel has England as a party: answering
#: for the United Kingdom would silently change the question, so these are refused with the
#: state they belong to as the suggestion.
PARTS_OF_STATES: dict[str, str] = {
    "england": "GBR",
    "scotland": "GBR",
    "wales": "GBR",
    "northern ireland": "GBR",
}


@dataclass(frozen=True)
class NamePattern:
    """One country's pattern from country_converter, for the ISO alpha-3 code it gives."""

    iso3: str
    pattern: re.Pattern[str]


def fold(text: str) -> str:
    """``text`` compared as people mean it: no case, no accents, one apostrophe, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("\u2019", "'").replace("\u2018", "'").split())


def _table() -> Path:
    # find_spec does not import the package (and so not pandas); the table sits beside it.
    spec = importlib.util.find_spec("country_converter")
    if spec is None or spec.origin is None:
        raise TfkgError("country_converter is not installed; run `make install`")
    return Path(spec.origin).with_name("country_data.tsv")


@cache
def name_patterns() -> tuple[NamePattern, ...]:
    """Every current country's pattern, compiled once per process (about 250)."""
    path = _table()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if not rows or not {"regex", "ISO3", "obsolete"} <= rows[0].keys():
        raise TfkgError(f"{path}: expected the columns regex, ISO3 and obsolete (country_converter changed?)")
    return tuple(
        NamePattern(row["ISO3"], re.compile(row["regex"], re.IGNORECASE))
        for row in rows
        if row["regex"] and row["ISO3"] and not row["obsolete"]
    )


def matching(text: str, patterns: Iterable[NamePattern]) -> set[str]:
    """The alpha-3 codes whose pattern matches ``text`` (as typed, or folded).

    Text of three characters or fewer counts only where a pattern matches all of it: "UK"
    matches the United Kingdom's ``^u\\.?k\\.?$``, but a short code must never be caught by
    a pattern that merely contains those letters.
    """
    forms = dict.fromkeys((text.strip(), fold(text)))
    found: set[str] = set()
    for entry in patterns:
        for form in forms:
            hit = entry.pattern.search(form)
            if hit and (len(form) > 3 or hit.span() == (0, len(form))):
                found.add(entry.iso3)
                break
    return found
