"""Later status pages read in part (importers/status_pages.py): the depositary's stated counts
with their own date, and one signature table beside another without defining a fact twice.
Expected values come from shared/sources/curated-2026-12/status-pages-partial and its READMEs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tfkg.config import Settings
from tfkg.errors import DataError
from tfkg.importers.status_pages import import_signatures, import_untc_status_headers

PARTIAL = "sources/curated-2026-12/status-pages-partial"


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_stated_counts_keep_the_pages_own_date(scratch: Settings, shared: Path) -> None:
    assert (
        import_untc_status_headers(
            scratch, shared / PARTIAL / "un_untoc_family/untoc_family_header_facts.csv"
        )
        == 3
    )
    rows = {r["instrument"]: r for r in table(scratch.data_dir / "depositary-status/untc-status-pages.csv")}
    untoc = rows["instrument/untoc"]
    assert (untoc["signatories"], untoc["parties"], untoc["entry_into_force"]) == ("147", "192", "2003-09-29")
    sources = {r["key"]: r for r in table(scratch.data_dir / "sources.csv")}
    assert sources[untoc["source"]]["snapshot_date"] == "2024-05-04", "'STATUS AS AT : 04-05-2024'"
    assert rows["instrument/untoc-tip"]["parties"] == "182"
    assert sources[rows["instrument/untoc-tip"]["source"]]["snapshot_date"] == "2024-04-20"


def test_a_second_signature_table_adds_only_what_the_first_lacks(scratch: Settings, shared: Path) -> None:
    folder = shared / PARTIAL / "un_cybercrime_xviii16"
    un, skipped = import_signatures(
        scratch, folder / "xviii16_untc_participants.csv", "un-cybercrime-convention", "untc-xviii-16-xml-2025",
        "participant", "signature", ("%d %b %Y",), "un-cybercrime-convention",
    )  # fmt: skip
    assert un == 30 and skipped == ["Jamaica: no date in the source's row"], (
        "the excerpt cuts Jamaica at '25 O'"
    )
    dutch, given = import_signatures(
        scratch, folder / "xviii16_verdragen_nl_signatures.csv", "un-cybercrime-convention",
        "verdragen-nl-013891-2025", "english_name_librarian_translation", "signature_iso", ("%Y-%m-%d",),
        "un-cybercrime-convention-verdragen", beside="un-cybercrime-convention",
    )  # fmt: skip
    assert dutch == 35 and len(given) == 30
    rows = table(scratch.data_dir / "treaty-actions/un-cybercrime-convention-verdragen.csv")
    jamaica = next(r for r in rows if r["party"] == "jurisdiction/JAM")
    assert (jamaica["date"], jamaica["source"]) == ("2025-10-25", "verdragen-nl-013891-2025")
    mauritius = next(r for r in rows if r["party"] == "jurisdiction/MUS")
    assert mauritius["date"] == "2025-11-19" and mauritius["action_type"] == "action-type/signature"


def test_a_bad_date_names_file_and_line(scratch: Settings, tmp_path: Path) -> None:
    path = tmp_path / "signatures.csv"
    path.write_text("participant,signature,evidence\nAlgeria,25 Oct 2025,x\nAngola,25 Octobre 2025,y\n")
    with pytest.raises(DataError, match=r"signatures.csv:3: '25 Octobre 2025' is not a date"):
        import_signatures(
            scratch, path, "un-cybercrime-convention", "s", "participant", "signature", ("%d %b %Y",), "t"
        )
