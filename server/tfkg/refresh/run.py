"""One refresh: download, import into a scratch copy of data/, compare, and apply on request.

Where the files live (documented in README "Bringing the data up to date"):

- UNTC: ``{TFKG_UNTC_URL}/Volume%20{I|II}/Chapter%20{chapter}/{reference}.en.xml``, with
  TFKG_UNTC_URL = https://treaties.un.org/doc/Publication/MTDSG. The archived files in
  shared/sources/untc/mtdsg-xml-2018-01 are copies of these (SOURCES.md cites
  .../Volume%20II/Chapter%20XVIII/XVIII-12-a.en.xml and .../Volume%20I/Chapter%20VI/VI-15.en.xml);
  chapters I to XI are in Volume I, the later ones in Volume II.
- Council of Europe: TFKG_COE_URL with ``{number}`` for the treaty, by default
  https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum={number}.

The snapshot date of what is imported is ``--snapshot-date`` when given; else the date the
page states it is current ("Status as of" on a CoE chart), else the download date (UNTC's XML
states none). A source row that already describes the same file on the same snapshot date is
kept as it is, so a refresh that finds nothing new changes nothing, byte for byte.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..config import Settings
from ..errors import DataError, TfkgError
from ..importers.coe import import_coe
from ..importers.coechart import read_chart
from ..importers.mtdsg import read_mtdsg
from ..importers.untc import import_untc, source_key_for
from ..tables import COLUMNS, read_table
from .diff import DataDiff, diff_data
from .fetch import FetchError, download

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_REFERENCE = re.compile(r"^(?P<chapter>[IVXL]+)-\d+[a-z]?(?:-[a-z])?$")

#: What a target does with its downloaded file: (scratch settings, file, snapshot given,
#: download date) → one line saying what it imported.
Loader = Callable[[Settings, Path, "date | None", date], str]


class RefreshError(TfkgError):
    """A refresh stopped; data/ is as it was. The message is one line."""


@dataclass(frozen=True)
class Target:
    """One file to fetch and the importer that reads it."""

    label: str
    url: str
    filename: str
    load: Loader


@dataclass
class RefreshReport:
    """What the refresh fetched, what it would change, and whether it did."""

    imported: list[str]
    diff: DataDiff
    applied: bool = False
    build: str = ""
    notes: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        lines = [f"fetched and read: {line}" for line in self.imported]
        lines += self.diff.describe()
        if self.applied:
            lines.append(f"applied to data/; {self.build}")
        elif self.diff.changed:
            lines.append("nothing written: run again with --apply to write data/ and rebuild")
        return lines + self.notes


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def untc_url(base: str, reference: str) -> str:
    """The MTDSG status XML of ``reference`` (e.g. XVIII-12-a) under ``base``."""
    found = _REFERENCE.match(reference)
    if found is None:
        raise RefreshError(f"{reference!r} is not a UNTC reference such as XVIII-12 or XVIII-12-a")
    chapter = found["chapter"]
    volume = "I" if _roman(chapter) <= 11 else "II"
    return f"{base.rstrip('/')}/Volume%20{volume}/Chapter%20{chapter}/{reference}.en.xml"


def untc_references(settings: Settings) -> list[str]:
    """The UNTC files data/ was built from: the `untc` steps of data/conversions.yaml."""
    manifest = settings.data_dir / "conversions.yaml"
    try:
        steps: list[dict[str, Any]] = yaml.safe_load(manifest.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(manifest, f"cannot read the conversion manifest: {exc}") from None
    return [Path(str(s["file"])).name.split(".")[0] for s in steps if s.get("importer") == "untc"]


def untc_targets(settings: Settings, chapter: str | None = None, number: str | None = None) -> list[Target]:
    """One treaty (``chapter`` and ``number``: XVIII and 12-a), or every UNTC file data/ uses."""
    if (chapter is None) != (number is None):
        raise RefreshError(
            "give both --chapter and --number (e.g. --chapter XVIII --number 12-a), or neither"
        )
    references = [f"{chapter.upper()}-{number}"] if chapter and number else untc_references(settings)
    return [
        Target(f"UNTC {ref}", url, f"{ref}.en.xml", _untc_loader(settings, ref, url))
        for ref in references
        if (url := untc_url(settings.untc_url, ref))
    ]


def _untc_loader(settings: Settings, reference: str, url: str) -> Loader:
    def load(scratch: Settings, path: Path, snapshot: date | None, downloaded: date) -> str:
        doc = read_mtdsg(path)
        if doc.reference != reference:
            raise DataError(path, f"the file is the status of treaty {doc.reference}, not {reference}")
        when = snapshot or downloaded
        key = source_key_for(reference, when)
        retrieval = _kept_retrieval(settings, key, when) or (
            f"UNTC MTDSG status XML {path.name}, downloaded from {url} on {downloaded.isoformat()} "
            "with `tfkg refresh untc`"
        )
        return import_untc(scratch, path, when, key, retrieval).describe()

    return load


def coe_targets(settings: Settings, number: int) -> list[Target]:
    """The chart of signatures and ratifications of Council of Europe treaty ``number``."""
    try:
        url = settings.coe_url.format(number=number)
    except (KeyError, IndexError, ValueError) as exc:
        raise RefreshError(f"TFKG_COE_URL must contain {{number}} and no other braces ({exc})") from None
    return [
        Target(f"CoE chart {number:03d}", url, f"coe-chart-{number}.html", _coe_loader(settings, number, url))
    ]


def _coe_loader(settings: Settings, number: int, url: str) -> Loader:
    def load(scratch: Settings, path: Path, snapshot: date | None, downloaded: date) -> str:
        chart = read_chart(path)
        if chart.number != number:
            raise DataError(path, f"the page is the chart of treaty {chart.number}, not {number}")
        when = snapshot or chart.status_as_of or downloaded
        retrieval = f"chart page downloaded from {url} on {downloaded.isoformat()} with `tfkg refresh coe`"
        return import_coe(scratch, path, when, None, url, retrieval).describe()

    return load


def _kept_retrieval(settings: Settings, key: str, snapshot: date) -> str:
    """The retrieval note of a source row that already describes this snapshot, if any."""
    path = settings.data_dir / "sources.csv"
    for row in read_table(path, COLUMNS["sources"]) if path.is_file() else []:
        if row["key"] == key and row["snapshot_date"] == snapshot.isoformat():
            return row["retrieval_method"]
    return ""


def refresh(
    settings: Settings,
    targets: list[Target],
    snapshot: date | None = None,
    apply: bool = False,
    today: date | None = None,
) -> RefreshReport:
    """Fetch every target into a scratch copy of data/; report, and with ``apply`` write and build."""
    downloaded = today or date.today()
    with tempfile.TemporaryDirectory(prefix="tfkg-refresh-") as tmp:
        scratch_root = Path(tmp) / "checkout"
        shutil.copytree(settings.data_dir, scratch_root / "data")
        scratch = replace(settings, root=scratch_root)
        imported = []
        for target in targets:
            try:
                path = download(
                    target.url, Path(tmp) / "downloads" / target.filename, settings.refresh_timeout
                )
            except FetchError as error:
                raise RefreshError(f"{error.message}; nothing changed") from None
            try:
                imported.append(target.load(scratch, path, snapshot, downloaded))
            except TfkgError as error:
                lines = error.message.removeprefix(f"{path}:").strip().splitlines()
                reason = " ".join(line.strip() for line in lines if line.strip())  # one line
                raise RefreshError(
                    f"{target.url}: not readable as {target.label} ({reason}); nothing changed"
                ) from None
        diff = diff_data(settings.data_dir, scratch.data_dir)
        report = RefreshReport(imported, diff)
        if apply and diff.changed:
            report.build = _apply(settings, scratch.data_dir, diff.files)
            report.applied = True
        return report


def _apply(settings: Settings, refreshed: Path, files: list[str]) -> str:
    """Write the changed tables into data/ and rebuild; put everything back if the build refuses."""
    from ..build import build

    backup = {
        f: (settings.data_dir / f).read_bytes() if (settings.data_dir / f).is_file() else None for f in files
    }
    for name in files:
        target = settings.data_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(refreshed / name, target)
    try:
        return build(settings).describe()
    except TfkgError as error:
        for name, content in backup.items():
            if content is None:
                (settings.data_dir / name).unlink(missing_ok=True)
            else:
                (settings.data_dir / name).write_bytes(content)
        first = error.message.strip().splitlines()[0]
        raise RefreshError(
            f"the refreshed tables do not build ({first}); data/ restored, nothing changed"
        ) from None
