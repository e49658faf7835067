"""Territories that ISO 3166-2 codes as part of a state: the "dual-coded" ISO 3166-1 entries.

ISO 3166-1 gives some territories a code of their own (HK, AW, GP, PR ...), and ISO 3166-2 also
lists them among the subdivisions of the state they belong to (CN-HK Hong Kong SAR, NL-AW
Aruba, FR-971 Guadeloupe, US-PR Puerto Rico). pycountry ships both parts (Debian iso-codes),
so the link is read from the standard, not guessed.

ISO 3166-2 codes are short and reused everywhere: CH-GL is the canton of Glarus, not Greenland,
and GN-ML is a Guinean prefecture that happens to be called Mali. So a code is never enough. A
subdivision is taken for an ISO 3166-1 entry only when all of these hold:

- it is a first-level subdivision (a territory with a code of its own in ISO 3166-1 is never
  a prefecture within a region, as GN-ML is within GN-L);
- its code fits the entry: the suffix is the entry's alpha-2 (CN-HK), that alpha-2 followed by
  a number (NL-BQ1), or a plain number, which can never be an alpha-2 (FR-973, FI-01); and
- its name is the entry's name in one of ISO 3166's two languages, English or French (FR-973
  "Guyane (française)" is GUF's French name), ignoring accents, case, punctuation, a bracketed
  remark and a few generic words (SAR, Islands, Landskapet, a leading article); or the entry's
  name lists several places ("Svalbard and Jan Mayen") and each is a subdivision of the same state.

The importer applies the result only to entries that no source calls a state, as a second guard.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pycountry

#: Subdivisions never taken as a territory's link to a state, with the reason.
EXCLUDED = {
    # ISO 3166-2:CN lists Taiwan as a province (CN-TW, "Taiwan Sheng"), but its status is
    # disputed and treaty practice does not treat Taiwan as bound through the People's Republic
    # of China: the depositaries record no Chinese action that extends a treaty to it, and China
    # itself calls the Taiwan authorities' actions void (data/statements/drugs-1971.csv, China's
    # declaration of 1985-08-23). TWN stays a jurisdiction with no parent.
    "CN-TW": "status disputed; treaty practice does not treat Taiwan as bound through China",
}

#: Words that say what kind of place it is rather than which place (ISO 3166-2 "Hong Kong SAR",
#: "Landskapet Åland", "La Réunion" against ISO 3166-1 "Hong Kong", "Åland Islands", "Réunion").
GENERIC_WORDS = frozenset({"sar", "islands", "landskapet", "la", "le", "les", "the"})


@dataclass(frozen=True)
class DualCoded:
    """An ISO 3166-1 entry that ISO 3166-2 codes as (part of) a subdivision of ``state``."""

    entry: str  # the entry's alpha-3 (HKG)
    state: str  # the alpha-3 of the country whose subdivision it is (CHN)
    locator: str  # "ISO 3166-2:CN CN-HK (Hong Kong SAR, special administrative region)"


def _words(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def name_forms(name: str) -> set[str]:
    """The forms a name is compared in: with and without its bracketed remark, generic words
    dropped ("Guyane (française)" → "guyane francaise" and "guyane")."""
    forms = set()
    for text in (name, re.sub(r"\(.*?\)|\[.*?\]", " ", name)):
        words = [w for w in _words(text).split() if w not in GENERIC_WORDS]
        if words:
            forms.add(" ".join(words))
    return forms


def _code_fits(suffix: str, alpha2: str) -> bool:
    if suffix.isdigit():
        return True
    return suffix.startswith(alpha2) and (suffix == alpha2 or suffix[len(alpha2) :].isdigit())


def _entry_names(country: Any, french: gettext.GNUTranslations) -> list[str]:
    english = [
        n
        for n in (
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        )
        if n
    ]
    return english + [french.gettext(n) for n in english]


def _parts(name: str) -> list[str]:
    """The places a name lists ("Bonaire, Sint Eustatius and Saba"), or [] for a single place."""
    parts = [p for p in re.split(r",|\band\b|\bet\b", name) if p.strip()]
    return parts if len(parts) > 1 else []


def _describe(subdivisions: list[Any]) -> str:
    country = subdivisions[0].country_code
    listed = ", ".join(
        f"{s.code} ({s.name}, {s.type.lower()})" for s in sorted(subdivisions, key=lambda s: s.code)
    )
    return f"ISO 3166-2:{country} {listed}"


def dual_coded() -> dict[str, DualCoded]:
    """Every ISO 3166-1 entry that ISO 3166-2 codes as part of another country, by alpha-3.

    An entry that fits subdivisions of two different countries is left out: the standard would
    then not say which state it belongs to.
    """
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    by_alpha2 = {c.alpha_2: c for c in pycountry.countries}
    subdivisions = [
        (s, s.code.split("-", 1)[1], name_forms(s.name))
        for s in pycountry.subdivisions
        if s.code not in EXCLUDED and s.parent_code is None
    ]
    found: dict[str, dict[str, list[Any]]] = defaultdict(dict)
    for country in pycountry.countries:
        names = _entry_names(country, french)
        forms = set().union(*(name_forms(n) for n in names))
        candidates = [
            (s, sub_forms)
            for s, suffix, sub_forms in subdivisions
            if s.country_code != country.alpha_2 and _code_fits(suffix, country.alpha_2)
        ]
        for s, sub_forms in candidates:
            if sub_forms & forms:
                found[country.alpha_3].setdefault(s.country_code, []).append(s)
        if country.alpha_3 in found:
            continue
        for name in names:
            places = [name_forms(p) for p in _parts(name)]
            if not places:
                continue
            by_state: dict[str, list[Any]] = defaultdict(list)
            for s, sub_forms in candidates:
                if any(sub_forms & place for place in places):
                    by_state[s.country_code].append(s)
            for state, subs in by_state.items():
                if all(any(name_forms(s.name) & place for s in subs) for place in places):
                    found[country.alpha_3][state] = subs
    result = {}
    for entry, states in sorted(found.items()):
        if len(states) != 1:
            continue
        (alpha2, matched), *_ = states.items()
        result[entry] = DualCoded(entry, by_alpha2[alpha2].alpha_3, _describe(matched))
    return result
