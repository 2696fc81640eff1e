"""The emulator answers GetBucketReplication with the rules as they were put, as AWS does.

Without the patch moto 5.2 answers every rule with ``Filter: {Prefix: ""}`` and
``DeleteMarkerReplication: Disabled`` and drops ``SourceSelectionCriteria``.
"""

from __future__ import annotations

from typing import Any

import pytest

DESTINATION = {"Bucket": "arn:aws:s3:::target"}


@pytest.fixture
def s3(aws: Any) -> Any:
    client = aws.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="source")
    client.put_bucket_versioning(Bucket="source", VersioningConfiguration={"Status": "Enabled"})
    return client


def put_and_get(s3: Any, *rules: dict[str, Any]) -> list[dict[str, Any]]:
    s3.put_bucket_replication(
        Bucket="source", ReplicationConfiguration={"Role": "arn:aws:iam::123456789012:role/r", "Rules": list(rules)}
    )
    return s3.get_bucket_replication(Bucket="source")["ReplicationConfiguration"]["Rules"]


def test_filter_delete_markers_and_criteria_come_back(s3: Any) -> None:
    [rule] = put_and_get(
        s3,
        {
            "ID": "a",
            "Priority": 3,
            "Status": "Enabled",
            "Filter": {"Prefix": "logs/"},
            "DeleteMarkerReplication": {"Status": "Enabled"},
            "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
            "Destination": dict(
                DESTINATION, EncryptionConfiguration={"ReplicaKmsKeyID": "arn:aws:kms:us-west-2:123456789012:key/k"}
            ),
        },
    )
    assert rule["Priority"] == 3
    assert rule["Filter"] == {"Prefix": "logs/"}
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    assert rule["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert rule["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"].endswith(":key/k")


def test_tag_filters_come_back_as_lists(s3: Any) -> None:
    one, both = put_and_get(
        s3,
        {
            "ID": "one",
            "Priority": 1,
            "Status": "Enabled",
            "Filter": {"And": {"Prefix": "p", "Tags": [{"Key": "k", "Value": "v"}]}},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": DESTINATION,
        },
        {
            "ID": "two",
            "Priority": 2,
            "Status": "Enabled",
            "Filter": {"Tag": {"Key": "k", "Value": "v"}},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": DESTINATION,
        },
    )
    assert one["Filter"] == {"And": {"Prefix": "p", "Tags": [{"Key": "k", "Value": "v"}]}}
    assert both["Filter"] == {"Tag": {"Key": "k", "Value": "v"}}


def test_empty_prefix_filter_comes_back(s3: Any) -> None:
    [rule] = put_and_get(
        s3,
        {
            "ID": "all",
            "Priority": 1,
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": DESTINATION,
        },
    )
    assert rule["Filter"] == {"Prefix": ""}
    assert rule["DeleteMarkerReplication"] == {"Status": "Disabled"}


def test_v1_rules_keep_their_prefix(s3: Any) -> None:
    [rule] = put_and_get(s3, {"ID": "v1", "Status": "Enabled", "Prefix": "old/", "Destination": DESTINATION})
    assert rule["Prefix"] == "old/"
    assert "Filter" not in rule


def test_missing_configuration_still_raises(s3: Any) -> None:
    with pytest.raises(s3.exceptions.ClientError) as raised:
        s3.get_bucket_replication(Bucket="source")
    assert raised.value.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError"
