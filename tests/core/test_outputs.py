import csv

import pandas as pd
import pytest

from dprk_relations.core.outputs import atomic_write, csv_bytes, csv_rows, save_all


def test_csv_bytes_are_stable():
    frame = pd.DataFrame({"a": [1, 2], "b": [0.123456, 1.0]})
    assert csv_bytes(frame) == b"a,b\n1,0.1235\n2,1.0000\n"


def test_a_failure_while_rendering_leaves_previous_outputs_untouched(tmp_path):
    good = tmp_path / "yearly.csv"
    good.write_bytes(b"old\n")

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise RuntimeError("rendering failed")

        def copy(self, deep=True):
            return self

    with pytest.raises(RuntimeError):
        save_all({good: pd.DataFrame({"a": [1]}), tmp_path / "other.csv": Broken({"a": [1]})})
    assert good.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["yearly.csv"]


def test_atomic_write_leaves_no_temporary_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old\n")
    import os

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_outputs_follow_the_umask_so_another_user_can_read_them(tmp_path, umask, mode):
    """A published report is read by a web server running as another user: mkstemp's 0600 would hide it."""
    import os
    import stat

    old = os.umask(umask)
    try:
        target = tmp_path / "index.html"
        atomic_write(target, b"<html></html>")
        save_all({tmp_path / "t.csv": pd.DataFrame({"a": [1]})})
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "t.csv").stat().st_mode) == mode


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text_and_read_back_unchanged(tmp_path):
    import pandas as pd

    from dprk_relations.core import outputs
    from dprk_relations.data import store

    cells = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "-3", "-0.5", "plain", "'quoted"]
    frame = pd.DataFrame({"verdict": cells, "claims": range(len(cells))})
    data = outputs.csv_bytes(frame).decode()
    assert "\n\"'=HYPERLINK" in data and "\n'+1+1" in data and "\n'-2+3" in data and "\n'@SUM" in data
    assert "\n-3," in data and "\n-0.5," in data and "\nplain," in data  # numbers and plain text unchanged
    (tmp_path / "claims_verdicts.csv").write_bytes(data.encode())
    assert store.read_table(tmp_path, "claims_verdicts")["verdict"].tolist() == cells


def test_only_text_cells_are_marked_in_a_column_of_mixed_values_whatever_the_index():
    import datetime

    import pandas as pd

    from dprk_relations.core import outputs

    # values that are not text but whose written form starts like a formula stay as they are
    cells = [None, -1.5, "\tTAB", "-x", datetime.date(2020, 1, 2), -7, "=1", "ok", "\rCR", "-"]
    frame = pd.DataFrame({"note": pd.Series(cells, dtype=object, index=[f"r{i}" for i in range(len(cells), 0, -1)])})
    lines = outputs.csv_bytes(frame).decode().split("\n")[1:-1]
    assert lines == ["\"\"", "-1.5", "'\tTAB", "'-x", "2020-01-02", "-7", "'=1", "ok", "'\rCR", "'-"]
    assert frame["note"].tolist()[2] == "\tTAB"  # the caller's frame is not changed
    # a column that also holds sequences (which numpy will not read as text) is judged cell by cell
    sequences = pd.DataFrame({"note": pd.Series([["=a", "b"], ("x",), "=1", "ok"], dtype=object)})
    assert outputs.csv_bytes(sequences).decode().split("\n")[1:-1] == ['"[\'=a\', \'b\']"', '"(\'x\',)"', "'=1", "ok"]


def test_a_processed_cell_longer_than_the_csv_modules_default_limit_is_read_back_whole():
    # a claim's evidence at 100 times the data lists thousands of states in one cell
    long_cell = ";".join(f"S{i:05d}" for i in range(40_000))
    assert len(long_cell) > 131_072
    csv.field_size_limit(131_072)  # the module's default, as in a fresh process (csv_rows raises it again)
    text = csv_bytes(pd.DataFrame({"claim_id": ["c1"], "evidence": [long_cell]})).decode("utf-8")
    assert csv_rows(text) == [{"claim_id": "c1", "evidence": long_cell}]
