"""Resolving the names sources use for jurisdictions to tfkg keys (ISO 3166-1 alpha-3, or EU).

Depositaries use UN names ("Iran (Islamic Republic of)", "The former Yugoslav Republic of
Macedonia"); pycountry knows ISO names. The few UN names ISO does not use are listed here
once. An unknown name is an error that lists the closest known names: never a silent guess.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

import pycountry

from .errors import TfkgError

EU_KEY = "EU"
KOSOVO_KEY = "XKX"

#: UN (depositary) names that pycountry's lookup does not resolve.
UN_NAMES: dict[str, str] = {
    "Bolivia (Plurinational State of)": "BOL",
    "Democratic Republic of the Congo": "COD",
    "European Union": EU_KEY,
    "European Community": EU_KEY,
    "Holy See": "VAT",
    "Iran (Islamic Republic of)": "IRN",
    "Micronesia (Federated States of)": "FSM",
    "Republic of Korea": "KOR",
    "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA",
    "St. Vincent and the Grenadines": "VCT",
    "State of Palestine": "PSE",
    "Swaziland": "SWZ",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "Turkey": "TUR",
    "Venezuela (Bolivarian Republic of)": "VEN",
    "Kosovo": KOSOVO_KEY,
}


class UnknownJurisdictionError(TfkgError):
    """A source names a jurisdiction tfkg cannot resolve."""


def clean_name(raw: str) -> str:
    """Drop footnote markers (``<superscript>1</superscript>``, trailing digits) and spaces."""
    text = re.sub(r"<superscript>.*?</superscript>", "", raw)
    text = re.sub(r"\s+\d+(,\d+)*$", "", text)
    return " ".join(text.split())


@cache
def _known_names() -> dict[str, str]:
    names = {name.casefold(): key for name, key in UN_NAMES.items()}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(value.casefold(), country.alpha_3)
    return names


def jurisdiction_key(name: str) -> str:
    """The tfkg key (ISO alpha-3, or EU) for a jurisdiction named by a source."""
    cleaned = clean_name(name)
    known = _known_names()
    if cleaned.casefold() in known:
        return known[cleaned.casefold()]
    try:
        return str(pycountry.countries.lookup(cleaned).alpha_3)
    except LookupError:
        close = difflib.get_close_matches(cleaned.casefold(), known, n=3, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise UnknownJurisdictionError(
            f"unknown jurisdiction name {cleaned!r}{hint}. Add it to UN_NAMES in tfkg/names.py "
            "if it is another name for a known jurisdiction."
        ) from None


def alpha2_to_key(alpha2: str) -> str:
    """ISO alpha-2 (as membership lists give it) to tfkg key; XK is Kosovo."""
    if alpha2 == "XK":
        return KOSOVO_KEY
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is None:
        raise UnknownJurisdictionError(f"unknown ISO 3166-1 alpha-2 code {alpha2!r}")
    return str(country.alpha_3)
