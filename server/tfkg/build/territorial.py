"""What a party's declaration says about one of its territories: excludes it, or only names it.

Depositary texts often settle two territories in one sentence, one each way. China's
declaration on the Trafficking Protocol (UNTC XVIII-12-a, end note 1) says the Protocol
"shall apply to the Macao Special Administrative Region ..., and unless otherwise notified by
the Government, shall not apply to the Hong Kong Special Administrative Region". Looking for
"not apply" anywhere in a text that names a territory would exclude Macao as well, so each
mention is read against the verb that governs it: the last "apply", "applicable", "extend" or
"application" before the name in the same sentence. The mention is an exclusion where that verb
is negated ("shall not apply", "will not be applicable", "no longer extends"), or where an
exclusion or exception stands between the verb and the name ("except", "with a territorial
exclusion in respect of"). A text that only names the territory ("declares (also for Aruba)
that ...", "the reservation ... will also apply to the Hong Kong Special Administrative
Region") is no exclusion.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

_SENTENCE_END = re.compile(r"(?<=[.;:])\s+|\n+")
_VERB = re.compile(r"\b(?:appl(?:y|ies|ied|icable|ication)|extend(?:s|ed|ing)?|extension)\b")
_NEGATION = re.compile(r"\b(?:not|never|cannot|no longer)\b")
_EXCEPTION = re.compile(r"\b(?:exclu\w*|except\w*|other than)\b")
_WORDS_BEFORE_VERB = 3  # "shall not be | applicable": the negation sits just before the verb


@dataclass(frozen=True)
class Reading:
    """How a text treats a territory, and the sentence that says so (for the binding's reason)."""

    effect: Literal["excludes", "names"]
    sentence: str


def fold(text: str) -> str:
    """Case, accents and spacing ignored ("Curaçao" and "Curacao", no-break spaces)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(plain.split())


def _name_pattern(name: str) -> re.Pattern[str]:
    """The territory's label without a bracketed remark ("Saint Martin (French part)")."""
    bare = fold(re.sub(r"\(.*?\)", " ", name)) or fold(name)
    return re.compile(rf"\b{re.escape(bare)}\b")


def _excludes(before: str) -> bool:
    """Whether the sentence up to a mention of the territory excludes it."""
    verbs = list(_VERB.finditer(before))
    if not verbs:
        return bool(_EXCEPTION.search(before))
    verb = verbs[-1]
    lead = " ".join(before[: verb.start()].split()[-_WORDS_BEFORE_VERB:])
    return bool(_NEGATION.search(lead) or _EXCEPTION.search(before[verb.end() :]))


def read(text: str, territory: str) -> Reading | None:
    """How ``text`` treats the territory labelled ``territory``; None when it does not name it.

    One excluding mention makes the whole text an exclusion of that territory.
    """
    pattern = _name_pattern(territory)
    naming: str | None = None
    for sentence in (s.strip() for s in _SENTENCE_END.split(text) if s.strip()):
        folded = fold(sentence)
        for mention in pattern.finditer(folded):
            if _excludes(folded[: mention.start()]):
                return Reading("excludes", sentence)
            naming = naming or sentence
    return Reading("names", naming) if naming else None


def quote(sentence: str, limit: int = 240) -> str:
    """A sentence short enough for a binding's reason, cut at a word."""
    flat = " ".join(sentence.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"
