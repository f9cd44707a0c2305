"""Executing one notebook: papermill reads and writes the runner's notebooks without changing folder."""
from __future__ import annotations

import os
from unittest import mock

from papermill.iorw import papermill_io

from dprk_relations.runner import execute


def test_papermill_reads_and_writes_absolute_paths_without_changing_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "deep" / "nb.ipynb"
    target.parent.mkdir()
    execute.use_absolute_path_io(target)
    handler = papermill_io.get_handler(str(target))
    assert isinstance(handler, execute.AbsolutePathIO)
    papermill_io.get_handler("local").cwd(str(tmp_path / "deep"))  # what another thread's run may leave there
    try:
        with mock.patch("os.chdir", side_effect=AssertionError("a folder change")):
            papermill_io.write('{"cells": []}', str(target))
            assert papermill_io.read(str(target)) == '{"cells": []}'
            assert papermill_io.listdir(str(target.parent)) == [str(target)]
    finally:
        papermill_io.get_handler("local").cwd(None)
    assert os.getcwd() == str(tmp_path)
    assert isinstance(papermill_io.get_handler("relative/nb.ipynb"), type(papermill_io.get_handler("local")))
