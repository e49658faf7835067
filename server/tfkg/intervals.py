"""How an interval's ends are read back from the graph, for the two readers that need them: the
derivation at build (build/premises.py) and the pathway engine (pathways/facts.py).

One SPARQL fragment binds each end's position as precisely as the data states it: an exact day
(?startDate), a year (?startYear), 'not later than' (?startNlt) or 'not earlier than'
(?startNet); and one parser turns a date-like literal into a day.
"""

from __future__ import annotations

from datetime import date

#: Format with v= the variable holding the interval; needs the tfkg: and time: prefixes.
INTERVAL = """
  OPTIONAL {{ ?{v} time:hasBeginning ?b . OPTIONAL {{ ?b time:inXSDDate ?startDate }}
             OPTIONAL {{ ?b time:inXSDgYear ?startYear }} OPTIONAL {{ ?b tfkg:notLaterThan ?startNlt }}
             OPTIONAL {{ ?b tfkg:notEarlierThan ?startNet }} }}
  OPTIONAL {{ ?{v} time:hasEnd ?e . OPTIONAL {{ ?e time:inXSDDate ?endDate }}
             OPTIONAL {{ ?e time:inXSDgYear ?endYear }} OPTIONAL {{ ?e tfkg:notLaterThan ?endNlt }}
             OPTIONAL {{ ?e tfkg:notEarlierThan ?endNet }} }}
"""


def day_of(text: str | None) -> date | None:
    """A date from an xsd:date, or the first day of an xsd:gYearMonth or xsd:gYear."""
    if not text:
        return None
    if len(text) == 7:
        return date.fromisoformat(f"{text}-01")
    if len(text) == 4:
        return date(int(text), 1, 1)
    return date.fromisoformat(text[:10])
