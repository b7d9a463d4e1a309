"""Test-only fault injection: ``FACILITATE_FAULT=STEP`` makes the process SIGKILL itself at
that step of a save (see ``ledger.STEPS``), as a power cut or ``kill -9`` would. The fault
suite (tests/storage/test_audit_faults.py) sets it on the real CLI; nothing else does."""

from __future__ import annotations

import os
import signal

FAULT_ENV = "FACILITATE_FAULT"


def fault(step: str) -> None:
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))  # (Windows: none)
