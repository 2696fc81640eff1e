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
    _kms_key_state_operations_accept_arns()


def _kms_key_state_operations_accept_arns() -> None:
    """ScheduleKeyDeletion, CancelKeyDeletion, EnableKey and DisableKey take a key
    id or a key ARN in AWS; moto 5.2 looks the raw value up and fails with a 500
    on an ARN (what amazon.aws.kms_key sends). Resolve the ARN to the id first."""
    from moto.kms.models import KmsBackend

    for name in ("schedule_key_deletion", "cancel_key_deletion", "enable_key", "disable_key"):
        original = getattr(KmsBackend, name)

        def by_id(self, key_id, *args, __original=original, **kwargs):
            return __original(self, self.get_key_id(key_id), *args, **kwargs)

        setattr(KmsBackend, name, by_id)
