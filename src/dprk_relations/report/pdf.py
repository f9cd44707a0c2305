"""The report on paper as a file: reports/report.pdf, printed from the page by headless Chromium with the
page's print stylesheet (every section, every state's history and every claim's evidence opened).

Chromium is optional: where it is missing, the PDF is skipped with a message, never a failure of the
report. Chromium writes the time of printing into the file; it is replaced by the release date (same
length, so the file's offsets stay right), and the same page gives the same bytes on the same Chromium.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from dprk_relations.core import catalogue, paths
from dprk_relations.core.outputs import atomic_write

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
PDF = "report.pdf"
# Printing the page takes a few seconds; a browser that hangs is stopped after this long.
PRINT_TIMEOUT_SECONDS = 300
_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)")


def browser() -> str | None:
    return next(filter(None, map(shutil.which, BROWSERS)), None)


def fixed_dates(pdf: bytes) -> bytes:
    """`pdf` with its creation and modification times set to midnight of the release date, the time zone
    as written: each the length it had, so every offset of the file stays right."""
    day = catalogue.RELEASED.replace("-", "").encode()
    return _STAMP.sub(lambda m: b"/" + m.group(1) + b" (D:" + day + b"000000" + m.group(2) + b")", pdf)


def print_report(reports_dir: Path, chromium: str | None = None) -> Path | None:
    """Print reports_dir/index.html to reports_dir/report.pdf; None (and a message) when no Chromium."""
    chromium = chromium or browser()
    index = reports_dir / "index.html"
    if chromium is None:
        print(f"pdf: skipped, no Chromium found ({', '.join(BROWSERS)}); the report itself is complete")
        return None
    with tempfile.TemporaryDirectory(prefix="dprk-pdf-") as work:
        printed = Path(work) / PDF
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={work}/profile", f"--print-to-pdf={printed}", index.resolve().as_uri()],
                       capture_output=True, timeout=PRINT_TIMEOUT_SECONDS, check=True)
        data = fixed_dates(printed.read_bytes())
    out = reports_dir / PDF
    atomic_write(out, data, stage=False)
    print(f"pdf: {paths.relative(out)} ({len(data) // 1024:,} KB)")
    return out
