"""Issue 19: one run at a time per output folder. While a run holds the lock of a folder, a second run on
it waits, says so, and goes on only once the first has let go, holding the lock itself from then on.

No timing: the second run signals when it has found the lock taken (its message) or got in; the first
lets go only then; and inside, the second checks that the first had let go and that the lock is its own
(a third taker is refused). A lock that does not wait, or does not lock, fails one of these checks
whatever the order the threads run in."""
from __future__ import annotations

import threading

import pytest
from filelock import FileLock, Timeout

from dprk_relations.runner import pipeline


def is_free(folder) -> bool:
    """Whether a taker other than the runs could take the folder's lock now (it lets go at once)."""
    probe = FileLock(str(folder / pipeline.LOCK))
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return False
    probe.release()
    return True


@pytest.mark.parametrize("shared", ["processed", "reports"])
def test_a_second_run_on_a_folder_waits_for_the_first_and_then_holds_the_lock(tmp_path, monkeypatch, shared):
    folders = {name: tmp_path / name for name in ("processed", "reports", "its own")}
    for folder in folders.values():
        folder.mkdir()
    first_run = [folders["processed"], folders["reports"]]
    # the second shares one folder with the first, as a run with another cut-off sharing processed/ does
    second_run = [folders[shared], folders["its own"]]
    said: list[str] = []
    arrived = threading.Event()  # the second run has found the lock taken, or got in
    first_let_go = threading.Event()
    inside: dict[str, bool] = {}

    def log(message: str) -> None:
        said.append(message)
        arrived.set()

    monkeypatch.setattr(pipeline, "log", log)

    def second() -> None:
        with pipeline.run_lock(second_run):
            inside["after the first let go"] = first_let_go.is_set()
            inside["the lock is its own"] = not is_free(folders[shared])
            arrived.set()

    with pipeline.run_lock(first_run):
        assert not is_free(folders["processed"]) and not is_free(folders["reports"])
        thread = threading.Thread(target=second, daemon=True)
        thread.start()
        arrived.wait()
        first_let_go.set()
    thread.join(timeout=120)  # a safety net only: a lock never let go fails here instead of hanging the suite
    assert not thread.is_alive()
    assert inside == {"after the first let go": True, "the lock is its own": True}
    assert len(said) == 1 and said[0].startswith(f"pipeline: another run is writing to {folders[shared].as_posix()}")
    assert all(is_free(folder) for folder in folders.values())  # both runs let go on leaving


def test_runs_on_folders_they_do_not_share_do_not_wait(tmp_path, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(pipeline, "log", said.append)
    one, other = [tmp_path / "a", tmp_path / "b"], [tmp_path / "c", tmp_path / "d"]
    for folder in one + other:
        folder.mkdir()
    with pipeline.run_lock(one):
        with pipeline.run_lock(other):
            assert not any(is_free(folder) for folder in one + other)
    assert said == []
