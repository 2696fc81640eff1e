"""The emulator extension installs once and leaves moto usable."""

import emulator_ext


def test_apply_is_idempotent(aws):
    emulator_ext.apply()
    emulator_ext.apply()
    assert aws.client("sts", region_name="us-east-1").get_caller_identity()["Account"]


def test_kms_key_state_operations_accept_a_key_arn(aws):
    kms = aws.client("kms", region_name="us-east-1")
    key = kms.create_key()["KeyMetadata"]

    kms.disable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
