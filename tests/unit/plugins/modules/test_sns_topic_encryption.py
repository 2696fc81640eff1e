"""sns_topic_encryption driven through moto: set, keep, change and remove a
topic's KMS key, by name or ARN, with check mode and diff."""

from __future__ import annotations

import pytest

from ansible_collections.healthcare.dr.plugins.modules import sns_topic_encryption

REGION = "us-east-1"
TOPIC = "sns-alarms-global-dev"
KEY = "alias/kms-alarms-us-east-1-dev"


@pytest.fixture
def topic_arn(aws):
    return aws.client("sns", region_name=REGION).create_topic(Name=TOPIC)["TopicArn"]


def stored_key(aws, arn):
    attributes = aws.client("sns", region_name=REGION).get_topic_attributes(TopicArn=arn)["Attributes"]
    return attributes.get("KmsMasterKeyId", "")


def test_encrypts_a_topic_given_by_name(aws, run_module, topic_arn):
    result = run_module(sns_topic_encryption, {"topic": TOPIC, "region": REGION, "kms_master_key_id": KEY})

    assert result["changed"] is True
    assert result["topic_arn"] == topic_arn
    assert result["kms_master_key_id"] == KEY
    assert stored_key(aws, topic_arn) == KEY


def test_second_run_is_not_changed(aws, run_module, topic_arn):
    args = {"topic": topic_arn, "region": REGION, "kms_master_key_id": KEY}
    run_module(sns_topic_encryption, args)
    result = run_module(sns_topic_encryption, args)

    assert result["changed"] is False


def test_another_key_replaces_the_first(aws, run_module, topic_arn):
    run_module(sns_topic_encryption, {"topic": topic_arn, "region": REGION, "kms_master_key_id": KEY})
    result = run_module(sns_topic_encryption, {"topic": topic_arn, "region": REGION, "kms_master_key_id": "alias/other"})

    assert result["changed"] is True
    assert stored_key(aws, topic_arn) == "alias/other"


def test_check_mode_writes_nothing(aws, run_module, topic_arn):
    result = run_module(
        sns_topic_encryption, {"topic": topic_arn, "region": REGION, "kms_master_key_id": KEY}, check_mode=True
    )

    assert result["changed"] is True
    assert stored_key(aws, topic_arn) == ""


def test_diff_shows_the_key_before_and_after(aws, run_module, topic_arn):
    result = run_module(sns_topic_encryption, {"topic": topic_arn, "region": REGION, "kms_master_key_id": KEY}, diff=True)

    assert result["diff"] == {"before": {"kms_master_key_id": ""}, "after": {"kms_master_key_id": KEY}}


def test_absent_removes_encryption_then_is_unchanged(aws, run_module, topic_arn):
    run_module(sns_topic_encryption, {"topic": topic_arn, "region": REGION, "kms_master_key_id": KEY})
    absent = {"topic": topic_arn, "region": REGION, "state": "absent"}

    first = run_module(sns_topic_encryption, absent)
    second = run_module(sns_topic_encryption, absent)

    assert first["changed"] is True
    assert stored_key(aws, topic_arn) == ""
    assert second["changed"] is False


def test_missing_topic_fails_naming_it(aws, run_module):
    result = run_module(sns_topic_encryption, {"topic": "nope", "region": REGION, "kms_master_key_id": KEY})

    assert result["failed"] is True
    assert result["msg"] == "Topic nope does not exist"


def test_present_requires_a_key(aws, run_module, topic_arn):
    result = run_module(sns_topic_encryption, {"topic": topic_arn, "region": REGION})

    assert result["failed"] is True
    assert "kms_master_key_id" in result["msg"]
