"""Faults no code change fixes (a full disk, a read-only or unwritable folder): named in one line, with
the folder, wherever a write fails (issue 17)."""
from __future__ import annotations

import errno
from pathlib import Path

# Causes of a failed write that no code change fixes: named in one line, with the folder (issue 17).
FAULTS = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded",
          errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
          errno.EPERM: "operation not permitted"}


class OutputFault(OSError):
    """A write that failed for a reason outside the pipeline (a full disk, a read-only folder)."""


def fault(exc: OSError, folder: Path) -> OutputFault | None:
    """`exc` as an OutputFault naming `folder` and the cause, or None when it is not such a fault."""
    cause = FAULTS.get(exc.errno)
    if cause is None:
        return None
    from dprk_relations.core.paths import relative

    return OutputFault(exc.errno, f"cannot write to {relative(folder)}: {cause}")
