"""A write that fails for a reason outside the pipeline is named in one line, with its folder."""
from __future__ import annotations

import errno

from dprk_relations.core import paths
from dprk_relations.core.faults import FAULTS, OutputFault, fault


def test_a_full_disk_is_named_with_the_folder_and_its_cause():
    named = fault(OSError(errno.ENOSPC, "No space left on device"), paths.REPORTS / "figures")
    assert isinstance(named, OutputFault) and named.errno == errno.ENOSPC
    assert named.strerror == "cannot write to reports/figures: no space left on the device"


def test_every_fault_has_its_own_words_and_other_errors_are_not_faults():
    assert len(set(FAULTS.values())) == len(FAULTS)
    for number, cause in FAULTS.items():
        assert fault(OSError(number, "x"), paths.REPORTS).strerror.endswith(cause)
    assert fault(OSError(errno.ENOENT, "No such file"), paths.REPORTS) is None
