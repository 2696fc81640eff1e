"""The emulator extension installs once and leaves moto usable."""

import emulator_ext


def test_apply_is_idempotent(aws):
    emulator_ext.apply()
    emulator_ext.apply()
    assert aws.client("sts", region_name="us-east-1").get_caller_identity()["Account"]
