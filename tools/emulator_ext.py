"""Operations moto lacks, and the few moto answers that differ from AWS where
the stack depends on them; nothing else in moto changes.

:func:`apply` is called by ``tools/emulator.py serve`` before the server starts,
and by the unit tests before moto is used in-process. Each patch mirrors AWS's
documented behaviour, says in its docstring what moto does instead, and has a
unit test in ``tests/unit/tools``.
"""

from __future__ import annotations

from typing import Any

_APPLIED = False


def apply() -> None:
    """Install every patch once; calling it again does nothing."""
    global _APPLIED
    if _APPLIED:
        return
    _APPLIED = True
    _s3_replication_echoes_rules()
    _kms_key_state_calls_accept_arns()


def _xml_filter_to_api(value: Any) -> dict[str, Any]:
    """A rule's ``Filter`` as moto stored it (parsed XML) in the API's shape."""
    if not value:
        return {}
    result: dict[str, Any] = {}
    if "Prefix" in value:
        result["Prefix"] = value["Prefix"] or ""
    if value.get("Tag"):
        result["Tag"] = value["Tag"]
    if "And" in value:
        both = value["And"] or {}
        tags = both.get("Tag") or []
        result["And"] = {"Prefix": both.get("Prefix") or "", "Tags": tags if isinstance(tags, list) else [tags]}
        if "Prefix" not in both:
            del result["And"]["Prefix"]
    return result


def _s3_replication_echoes_rules() -> None:
    """``GetBucketReplication`` returns each rule as it was put.

    moto 5.2 stores the whole configuration but answers every rule with
    ``Filter: {Prefix: ""}`` and ``DeleteMarkerReplication: Disabled`` and drops
    ``SourceSelectionCriteria`` and ``ExistingObjectReplication``. AWS returns
    what was put (documented in the GetBucketReplication response syntax), so
    a module comparing its wanted configuration with the read-back one would
    otherwise report a change on every run.
    """
    from moto.core.responses import ActionResult
    from moto.s3.exceptions import ReplicationConfigurationNotFoundError
    from moto.s3.responses import S3Response

    def get_bucket_replication(self: Any) -> Any:
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        rules = []
        for stored in replication["Rule"]:
            rule = {
                "ID": stored["ID"],
                "Priority": stored["Priority"],
                "Status": stored["Status"],
                "Destination": stored["Destination"],
            }
            if "Filter" in stored:
                rule["Filter"] = _xml_filter_to_api(stored["Filter"])
            elif "Prefix" in stored:
                rule["Prefix"] = stored["Prefix"] or ""
            else:
                rule["Filter"] = {"Prefix": ""}
            if "Filter" in rule:
                rule["DeleteMarkerReplication"] = stored.get("DeleteMarkerReplication") or {"Status": "Disabled"}
            for name in ("SourceSelectionCriteria", "ExistingObjectReplication"):
                if stored.get(name):
                    rule[name] = stored[name]
            rules.append(rule)
        return self.serialized(
            ActionResult({"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}})
        )

    S3Response.get_bucket_replication = get_bucket_replication


def _kms_key_state_calls_accept_arns() -> None:
    """``ScheduleKeyDeletion``, ``CancelKeyDeletion``, ``EnableKey`` and ``DisableKey`` take a key ARN.

    AWS accepts a key ID or a key ARN for each (API reference, ``KeyId``); moto 5.2
    looks the raw value up among key IDs and answers 500 for an ARN, which is what
    ``amazon.aws.kms_key`` passes when it deletes, restores, enables or disables a key.
    """
    from moto.kms.models import KmsBackend

    def by_key_id(method: Any) -> Any:
        def wrapper(self: Any, key_id: str, *args: Any, **kwargs: Any) -> Any:
            return method(self, self.get_key_id(key_id), *args, **kwargs)

        wrapper.__wrapped__ = method  # type: ignore[attr-defined]
        return wrapper

    for name in ("schedule_key_deletion", "cancel_key_deletion", "enable_key", "disable_key"):
        setattr(KmsBackend, name, by_key_id(getattr(KmsBackend, name)))
