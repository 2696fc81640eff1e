"""Emulator extension: an object lock default retention lists only the period that was set."""

from __future__ import annotations

import pytest

REGION = "us-east-1"


@pytest.mark.parametrize("period", [{"Days": 30}, {"Years": 6}])
def test_only_the_period_that_was_set_is_returned(aws, period):
    s3 = aws.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="audit", ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket="audit",
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": dict({"Mode": "GOVERNANCE"}, **period)},
        },
    )

    found = s3.get_object_lock_configuration(Bucket="audit")["ObjectLockConfiguration"]

    assert found == {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": dict({"Mode": "GOVERNANCE"}, **period)}}


def test_a_bucket_without_default_retention_has_no_rule(aws):
    s3 = aws.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="audit", ObjectLockEnabledForBucket=True)

    assert s3.get_object_lock_configuration(Bucket="audit")["ObjectLockConfiguration"] == {"ObjectLockEnabled": "Enabled"}
