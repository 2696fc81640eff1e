"""The emulator changes a KMS key's state given its ARN, as AWS does (amazon.aws.kms_key sends ARNs)."""

from __future__ import annotations


def key_state(kms, key_id):
    return kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]


def test_schedule_cancel_enable_disable_by_arn(aws):
    kms = aws.client("kms", region_name="us-east-1")
    key = kms.create_key(Description="dlq")["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert key_state(kms, key["KeyId"]) == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=key["Arn"])
    assert key_state(kms, key["KeyId"]) == "Disabled"
    kms.enable_key(KeyId=key["Arn"])
    assert key_state(kms, key["KeyId"]) == "Enabled"
    kms.disable_key(KeyId=key["Arn"])
    assert key_state(kms, key["KeyId"]) == "Disabled"


def test_key_ids_still_work(aws):
    kms = aws.client("kms", region_name="us-east-1")
    key_id = kms.create_key(Description="dlq")["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=key_id)
    kms.enable_key(KeyId=key_id)
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert key_state(kms, key_id) == "PendingDeletion"
