"""The emulator accepts a key ARN wherever AWS does for a key's state changes.

moto 5.2 answers 500 (KeyError) when ``ScheduleKeyDeletion``, ``CancelKeyDeletion``,
``EnableKey`` or ``DisableKey`` get a key ARN, which amazon.aws.kms_key passes.
"""

from __future__ import annotations

from typing import Any


def test_key_state_calls_take_an_arn(aws: Any) -> None:
    kms = aws.client("kms", region_name="us-west-2")
    arn = kms.create_key(Description="t")["KeyMetadata"]["Arn"]

    kms.disable_key(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Enabled"
    kms.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Disabled"


def test_key_ids_still_work(aws: Any) -> None:
    kms = aws.client("kms", region_name="us-west-2")
    key_id = kms.create_key(Description="t")["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
