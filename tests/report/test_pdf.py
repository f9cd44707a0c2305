"""The report on paper: printed by headless Chromium where there is one, the same bytes for the same page,
skipped with a message where there is none."""
from __future__ import annotations

import re

import pytest

from dprk_relations.core import catalogue
from dprk_relations.report import pdf


def test_the_time_of_printing_becomes_the_release_date_and_every_length_stays():
    printed = (b"%PDF-1.4\n1 0 obj\n<</CreationDate (D:20261203093017+00'00')\n/ModDate (D:20261203093018+00'00')>>\n"
               b"xref\n0 2\n")
    fixed = pdf.fixed_dates(printed)
    day = catalogue.RELEASED.replace("-", "")
    assert fixed == printed.replace(b"20261203093017", day.encode() + b"000000").replace(b"20261203093018", day.encode() + b"000000")
    assert len(fixed) == len(printed)  # the cross-reference table's offsets stay right
    assert pdf.fixed_dates(fixed) == fixed


def test_without_chromium_the_pdf_is_skipped_with_a_message_and_nothing_written(tmp_path, monkeypatch, capsys):
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    monkeypatch.setattr(pdf, "browser", lambda: None)
    assert pdf.print_report(tmp_path) is None
    assert "pdf: skipped, no Chromium found" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


@pytest.mark.slow
@pytest.mark.browser
def test_the_page_prints_to_the_same_bytes_twice(tmp_path):
    if pdf.browser() is None:
        pytest.skip("no Chromium here")
    page = tmp_path / "index.html"
    page.write_text("<html><body><h1>Report</h1><details><summary>a state</summary><p>its history</p></details>"
                    "</body></html>", encoding="utf-8")
    first = pdf.print_report(tmp_path).read_bytes()
    second = pdf.print_report(tmp_path).read_bytes()
    assert first.startswith(b"%PDF-") and first == second
    assert re.search(rb"/CreationDate \(D:" + catalogue.RELEASED.replace("-", "").encode() + rb"000000", first)
