"""cloudwatchlogs_log_group_encryption driven through moto (with the emulator's
AssociateKmsKey): set, keep, change and remove a log group's key, with check
mode and diff."""

from __future__ import annotations

import pytest

from ansible_collections.healthcare.dr.plugins.modules import cloudwatchlogs_log_group_encryption as module

REGION = "us-east-1"
GROUP = "/aws/lambda/lambda-app-us-east-1-dev"


@pytest.fixture
def key(aws):
    aws.client("logs", region_name=REGION).create_log_group(logGroupName=GROUP)
    return aws.client("kms", region_name=REGION).create_key(Description="logs")["KeyMetadata"]["Arn"]


def stored_key(aws):
    groups = aws.client("logs", region_name=REGION).describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]
    return groups[0].get("kmsKeyId") or ""


def test_encrypts_the_group_then_is_unchanged(aws, run_module, key):
    args = {"log_group_name": GROUP, "region": REGION, "kms_key_id": key}
    first = run_module(module, args)
    second = run_module(module, args)

    assert first["changed"] is True and second["changed"] is False
    assert first["kms_key_id"] == key
    assert first["log_group_arn"].endswith(f":log-group:{GROUP}")
    assert stored_key(aws) == key


def test_another_key_replaces_the_first(aws, run_module, key):
    run_module(module, {"log_group_name": GROUP, "region": REGION, "kms_key_id": key})
    other = aws.client("kms", region_name=REGION).create_key(Description="other")["KeyMetadata"]["Arn"]

    result = run_module(module, {"log_group_name": GROUP, "region": REGION, "kms_key_id": other})

    assert result["changed"] is True
    assert stored_key(aws) == other


def test_check_mode_writes_nothing_and_diff_shows_the_key(aws, run_module, key):
    result = run_module(module, {"log_group_name": GROUP, "region": REGION, "kms_key_id": key}, check_mode=True, diff=True)

    assert result["changed"] is True
    assert result["diff"] == {"before": {"kms_key_id": ""}, "after": {"kms_key_id": key}}
    assert stored_key(aws) == ""


def test_absent_removes_the_key_then_is_unchanged(aws, run_module, key):
    run_module(module, {"log_group_name": GROUP, "region": REGION, "kms_key_id": key})
    absent = {"log_group_name": GROUP, "region": REGION, "state": "absent"}

    first = run_module(module, absent)
    second = run_module(module, absent)

    assert first["changed"] is True and second["changed"] is False
    assert stored_key(aws) == ""


def test_a_group_whose_name_only_starts_alike_is_not_taken(aws, run_module, key):
    result = run_module(module, {"log_group_name": GROUP[:-4], "region": REGION, "kms_key_id": key})

    assert result["failed"] is True
    assert result["msg"] == f"Log group {GROUP[:-4]} does not exist"


def test_present_requires_a_key(aws, run_module, key):
    result = run_module(module, {"log_group_name": GROUP, "region": REGION})

    assert result["failed"] is True
    assert "kms_key_id" in result["msg"]
