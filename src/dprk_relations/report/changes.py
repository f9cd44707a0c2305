"""What an edit of the data changed: this run's verdicts beside the committed ones.

The committed verdicts are data/processed/claims_checked.csv as the repository's last commit holds
it (read with git, so an edit of data/raw made in place is compared with what was committed, not with
the file the run has just rewritten). A claim is listed when its verdict or its value differs, or
when it is new or gone. Plain csv, no pandas: the runner calls this on every run, even a no-op one.
"""
from __future__ import annotations

import re
import subprocess

from dprk_relations.core import focal as focals
from dprk_relations.core import paths
from dprk_relations.core.outputs import csv_rows
from dprk_relations.rules.status import AFTER_CUT_OFF

COMMITTED = "data/processed/claims_checked.csv"
# The committed verdicts are the report's register, the DPRK's: a run for another focal state has none to compare with.
REGISTER_OF = focals.FOCALS[focals.DEFAULT]
COLUMNS = ["claim_id", "old_verdict", "new_verdict", "old_value", "new_value"]
ABSENT = "(absent)"


def committed_bytes(root=None, relative: str = COMMITTED) -> bytes | None:
    """The committed checked claims as bytes, or None outside a git checkout (a downloaded archive)."""
    root = root or paths.ROOT
    try:
        shown = subprocess.run(["git", "-C", str(root), "show", f"HEAD:{relative}"], capture_output=True, check=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        return None
    return shown.stdout


def git(*args: str, root=None) -> str | None:
    """A git command's output in the project, or None outside a git checkout (a downloaded archive)."""
    try:
        done = subprocess.run(["git", "-C", str(root or paths.ROOT), *args], capture_output=True, text=True, check=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def repository(root=None) -> dict[str, str | None]:
    """The commit the run was made from and the repository it was cloned from (its `origin`, without any
    credentials a URL may carry), each None where git does not know it."""
    url = git("config", "--get", "remote.origin.url", root=root)
    if url:
        url = re.sub(r"^(https?://)[^/@]+@", r"\1", url)
    return {"commit": git("rev-parse", "HEAD", root=root), "url": url}


def read_claims(content: bytes) -> list[dict]:
    return csv_rows(content.decode("utf-8"))


def verdict_changes(old: list[dict], new: list[dict]) -> list[dict]:
    """One row per claim whose verdict or value differs between `old` and `new`, in `new`'s order
    (then the claims `new` no longer has). A statement `new` marks as after its cut-off is no change:
    that run did not check it."""
    before = {r["claim_id"]: (r["verdict"], r["value"]) for r in old}
    after = {r["claim_id"]: (r["verdict"], r["value"]) for r in new}
    rows = []
    for claim in list(after) + [c for c in before if c not in after]:
        old_verdict, old_value = before.get(claim, (ABSENT, ""))
        new_verdict, new_value = after.get(claim, (ABSENT, ""))
        if new_verdict != AFTER_CUT_OFF and (old_verdict, old_value) != (new_verdict, new_value):
            rows.append(dict(zip(COLUMNS, [claim, old_verdict, new_verdict, old_value, new_value])))
    return rows


def against_committed(checked_csv) -> list[dict] | None:
    """The claims of `checked_csv` (a run's claims_checked.csv) that differ from the committed ones;
    None outside a git checkout, where there is nothing to compare with."""
    baseline = committed_bytes()
    if baseline is None:
        return None
    from dprk_relations.core.stage import read_path

    with open(read_path(checked_csv), "rb") as fh:
        return verdict_changes(read_claims(baseline), read_claims(fh.read()))


def cut_off_counts(checked_csv) -> tuple[int, int]:
    """How many statements of a run's claims_checked.csv lie after its cut-off, and how many it checked."""
    from dprk_relations.core.stage import read_path

    with open(read_path(checked_csv), "rb") as fh:
        rows = read_claims(fh.read())
    after = sum(r["verdict"] == AFTER_CUT_OFF for r in rows)
    return after, len(rows) - after


def counts_set_apart(processed_dir) -> int:
    """How many published counts a run did not compare: those whose period ends after its cut-off
    (published.compared leaves them out of published_comparison.csv)."""
    from dprk_relations.core.stage import read_path

    def rows(name: str) -> int:
        return len(csv_rows(read_path(processed_dir / f"{name}.csv").read_text(encoding="utf-8")))

    return rows("published_counts") - rows("published_comparison")


# A value longer than this is cut in the line `describe` prints: a list of states from data many times the size
# of ours runs to pages (a value of our own data fits on a line); the whole value is in the table.
SHOWN_VALUE_CHARS = 200


def _shown(value: str) -> str:
    if len(value) <= SHOWN_VALUE_CHARS:
        return value or "-"
    return f"{value[:SHOWN_VALUE_CHARS]}... ({len(value):,} characters in all)"


def describe(change: dict) -> str:
    """One line: claim id, old verdict -> new verdict, old and new values (a long value cut)."""
    return (f"{change['claim_id']}: {change['old_verdict']} -> {change['new_verdict']} "
            f"(value {_shown(change['old_value'])} -> {_shown(change['new_value'])})")
