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
    _kms_key_state_by_arn()


def _kms_key_state_by_arn() -> None:
    """Enable/DisableKey and Schedule/CancelKeyDeletion given a key ARN.

    AWS accepts a key ID or a key ARN as ``KeyId``; for these four operations
    moto looks the raw value up in its key table and answers 500 for an ARN,
    which is what ``amazon.aws.kms_key`` sends (deleting a key, and bringing a
    key pending deletion back). The patch resolves the identifier to the key ID
    first, as moto's other KMS operations do.
    """
    from moto.kms.models import KmsBackend

    def resolving(original):
        def operation(self, key_id, *args, **kwargs):
            return original(self, self.any_id_to_key_id(key_id), *args, **kwargs)

        operation.__name__ = original.__name__
        operation.__doc__ = original.__doc__
        return operation

    for name in ("enable_key", "disable_key", "schedule_key_deletion", "cancel_key_deletion"):
        setattr(KmsBackend, name, resolving(getattr(KmsBackend, name)))
