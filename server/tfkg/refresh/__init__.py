"""`tfkg refresh`: bring tfkg's tables up to date from the depositaries' live pages.

The UN Treaty Collection's MTDSG status XML (`tfkg refresh untc`) and the Council of Europe's
charts of signatures and ratifications (`tfkg refresh coe 185`) are fetched over HTTP and
written through the same importers as the archived files (`tfkg import untc`, `tfkg import
coe`), into a scratch copy of data/. What changed is printed, by instrument; data/ is only
touched, and the dataset only rebuilt, with ``--apply``. A timeout, an HTTP error or a file
that no longer reads as the format the importer knows stops the refresh with one line, and
data/ stays as it was.
"""

from .run import RefreshError, RefreshReport, Target, coe_targets, refresh, untc_targets

__all__ = ["RefreshError", "RefreshReport", "Target", "coe_targets", "refresh", "untc_targets"]
