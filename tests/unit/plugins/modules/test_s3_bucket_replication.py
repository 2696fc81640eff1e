"""s3_bucket_replication: normalisation, idempotence, check mode, diff, removal and errors.

moto stores the replication configuration but does not copy objects, so these tests check the
configuration, never a replica. moto 5.2 also answers every rule with ``Filter: {Prefix: ""}`` and
``DeleteMarkerReplication: Disabled``; the emulator extension (applied by the ``aws`` fixture) makes
it echo what was put, as AWS does (see tests/unit/tools/test_emulator_s3_replication.py).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ansible_collections.healthcare.dr.plugins.modules import s3_bucket_replication as mod

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/iam-s3replication-global-dev"
SOURCE = "s3-data-us-east-1-dev-123456789012"
TARGET = "s3-data-us-west-2-dev-123456789012"
KEY = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


# --- normalisation (no AWS) ------------------------------------------------------------------------


def api_rule(**overrides: Any) -> dict[str, Any]:
    rule = {
        "ID": "all",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": f"arn:aws:s3:::{TARGET}"},
    }
    rule.update(overrides)
    return {key: value for key, value in rule.items() if value is not None}


def config(*rules: dict[str, Any], role: str = ROLE) -> dict[str, Any]:
    return {"Role": role, "Rules": list(rules)}


@pytest.mark.parametrize(
    "whole_bucket",
    [
        {"Filter": {"Prefix": ""}},
        {"Filter": {}},
        {"Filter": None},
        {"Filter": {"And": {"Prefix": ""}}},
        {"Filter": {"And": {"Prefix": "", "Tags": []}}},
    ],
    ids=["prefix-empty", "empty-filter", "no-filter", "and-prefix-empty", "and-no-tags"],
)
def test_every_whole_bucket_filter_is_the_same(whole_bucket: dict[str, Any]) -> None:
    rule = api_rule()
    rule.update(whole_bucket)
    rule = {key: value for key, value in rule.items() if value is not None}
    assert not mod.configurations_differ(config(rule), config(api_rule()))


def test_a_single_tag_filter_equals_the_same_tag_under_and() -> None:
    single = api_rule(Filter={"Tag": {"Key": "k", "Value": "v"}})
    under_and = api_rule(Filter={"And": {"Tags": [{"Key": "k", "Value": "v"}]}})
    assert not mod.configurations_differ(config(single), config(under_and))


def test_tag_order_does_not_count_but_tag_values_do() -> None:
    one = api_rule(Filter={"And": {"Prefix": "p/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}})
    swapped = api_rule(
        Filter={"And": {"Prefix": "p/", "Tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]}}
    )
    other = api_rule(Filter={"And": {"Prefix": "p/", "Tags": [{"Key": "b", "Value": "3"}, {"Key": "a", "Value": "1"}]}})
    assert not mod.configurations_differ(config(one), config(swapped))
    assert mod.configurations_differ(config(one), config(other))


def test_prefix_counts() -> None:
    assert mod.configurations_differ(config(api_rule(Filter={"Prefix": "logs/"})), config(api_rule()))


def test_missing_delete_marker_replication_means_disabled() -> None:
    missing = api_rule(DeleteMarkerReplication=None)
    assert not mod.configurations_differ(config(missing), config(api_rule()))
    enabled = api_rule(DeleteMarkerReplication={"Status": "Enabled"})
    assert mod.configurations_differ(config(missing), config(enabled))


def test_destination_bucket_by_name_or_arn_is_the_same() -> None:
    by_name = api_rule(Destination={"Bucket": TARGET})
    assert not mod.configurations_differ(config(by_name), config(api_rule()))
    elsewhere = api_rule(Destination={"Bucket": "arn:aws:s3:::another-bucket"})
    assert mod.configurations_differ(config(elsewhere), config(api_rule()))


def test_numbers_as_strings_are_the_same() -> None:
    as_numbers = api_rule(
        Priority=1,
        Destination={
            "Bucket": f"arn:aws:s3:::{TARGET}",
            "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
            "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
        },
    )
    as_strings = api_rule(
        Priority="1",
        Destination={
            "Bucket": f"arn:aws:s3:::{TARGET}",
            "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": "15"}},
            "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": "15"}},
        },
    )
    assert not mod.configurations_differ(config(as_numbers), config(as_strings))


def test_disabled_blocks_equal_missing_ones() -> None:
    explicit = api_rule(
        SourceSelectionCriteria={"SseKmsEncryptedObjects": {"Status": "Disabled"}},
        ExistingObjectReplication={"Status": "Disabled"},
        Destination={
            "Bucket": f"arn:aws:s3:::{TARGET}",
            "ReplicationTime": {"Status": "Disabled", "Time": {"Minutes": 15}},
            "Metrics": {"Status": "Disabled"},
        },
    )
    assert not mod.configurations_differ(config(explicit), config(api_rule()))


def test_replication_time_control_counts() -> None:
    rtc = api_rule(
        Destination={
            "Bucket": f"arn:aws:s3:::{TARGET}",
            "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
            "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
        }
    )
    assert mod.configurations_differ(config(rtc), config(api_rule()))


def test_missing_storage_class_is_not_standard() -> None:
    """No storage class keeps the source object's class: not the same as STANDARD."""
    standard = api_rule(Destination={"Bucket": f"arn:aws:s3:::{TARGET}", "StorageClass": "STANDARD"})
    assert mod.configurations_differ(config(standard), config(api_rule()))


def test_rule_order_does_not_count() -> None:
    first = api_rule(ID="a", Priority=1)
    second = api_rule(ID="b", Priority=2, Filter={"Prefix": "b/"})
    assert not mod.configurations_differ(config(first, second), config(second, first))


def test_role_counts() -> None:
    assert mod.configurations_differ(config(api_rule(), role=ROLE + "-other"), config(api_rule()))


def test_none_and_empty_configurations() -> None:
    assert mod.normalise_configuration(None) is None
    assert mod.normalise_configuration({"Role": ROLE, "Rules": []}) is None
    assert mod.configurations_differ(None, config(api_rule()))
    assert not mod.configurations_differ(None, None)


def test_a_v1_rule_is_rewritten_once() -> None:
    """A V1 rule (rule-level Prefix) replicates delete markers and has no priority."""
    v1 = {"ID": "all", "Status": "Enabled", "Prefix": "", "Destination": {"Bucket": f"arn:aws:s3:::{TARGET}"}}
    normal = mod.normalise_rule(v1)
    assert normal["filter"] == {"prefix": "", "tags": {}}
    assert normal["delete_marker_replication"] == "Enabled"
    assert mod.configurations_differ(config(v1), config(api_rule(DeleteMarkerReplication={"Status": "Enabled"})))


def test_raw_moto_answer_is_a_real_difference() -> None:
    """What unpatched moto returns (delete markers Disabled) must not pass for Enabled."""
    wanted = config(api_rule(DeleteMarkerReplication={"Status": "Enabled"}))
    moto_answer = config(api_rule())
    assert mod.configurations_differ(moto_answer, wanted)


def test_wanted_configuration_from_options() -> None:
    rules = [
        {
            "id": "all",
            "priority": None,
            "status": "enabled",
            "prefix": "",
            "tags": {},
            "delete_marker_replication": True,
            "sse_kms_encrypted_objects": None,
            "replica_modifications": False,
            "existing_object_replication": False,
            "destination": {
                "bucket": TARGET,
                "account": None,
                "owner_override": False,
                "storage_class": "STANDARD",
                "replica_kms_key_id": KEY,
                "replication_time_control": True,
                "metrics": None,
            },
        }
    ]
    wanted = mod.wanted_configuration("arn:aws-us-gov:iam::123456789012:role/r", rules)
    rule = wanted["Rules"][0]
    assert rule["Priority"] == 1
    assert rule["Filter"] == {"Prefix": ""}
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    assert rule["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert rule["Destination"]["Bucket"] == f"arn:aws-us-gov:s3:::{TARGET}"
    assert rule["Destination"]["EncryptionConfiguration"] == {"ReplicaKmsKeyID": KEY}
    assert rule["Destination"]["ReplicationTime"] == {"Status": "Enabled", "Time": {"Minutes": 15}}
    assert rule["Destination"]["Metrics"] == {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}


@pytest.mark.parametrize(
    "prefix, tags, expected",
    [
        ("", {}, {"Prefix": ""}),
        ("logs/", {}, {"Prefix": "logs/"}),
        ("", {"k": "v"}, {"Tag": {"Key": "k", "Value": "v"}}),
        ("logs/", {"k": "v"}, {"And": {"Prefix": "logs/", "Tags": [{"Key": "k", "Value": "v"}]}}),
        ("", {"b": "2", "a": "1"}, {"And": {"Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}}),
    ],
)
def test_filter_to_api(prefix: str, tags: dict[str, str], expected: dict[str, Any]) -> None:
    assert mod.filter_to_api(prefix, tags) == expected


# --- the module through moto -----------------------------------------------------------------------


@pytest.fixture
def buckets(aws: Any) -> Any:
    """A versioned source bucket in us-east-1 and a versioned target in us-west-2."""
    east = aws.client("s3", region_name="us-east-1")
    west = aws.client("s3", region_name="us-west-2")
    east.create_bucket(Bucket=SOURCE)
    west.create_bucket(Bucket=TARGET, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    for client, name in ((east, SOURCE), (west, TARGET)):
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return east


BASE_ARGS: dict[str, Any] = {
    "bucket": SOURCE,
    "region": "us-east-1",
    "role": ROLE,
    "rules": [
        {
            "id": "replicate-all-to-dr",
            "delete_marker_replication": True,
            "destination": {"bucket": TARGET, "replica_kms_key_id": KEY, "storage_class": "STANDARD"},
        }
    ],
}


def args(**overrides: Any) -> dict[str, Any]:
    result = copy.deepcopy(BASE_ARGS)
    result.update(overrides)
    return result


def stored(client: Any) -> dict[str, Any]:
    return client.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"]


def has_replication(client: Any) -> bool:
    try:
        stored(client)
    except client.exceptions.ClientError as error:
        assert error.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError"
        return False
    return True


def test_puts_the_configuration(buckets: Any, run_module: Any) -> None:
    result = run_module(mod, args())
    assert result["changed"] is True, result
    rule = stored(buckets)["Rules"][0]
    assert stored(buckets)["Role"] == ROLE
    assert rule["ID"] == "replicate-all-to-dr"
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    assert rule["Destination"]["Bucket"] == f"arn:aws:s3:::{TARGET}"
    assert rule["Destination"]["EncryptionConfiguration"]["ReplicaKmsKeyID"] == KEY
    assert rule["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    returned = result["replication_configuration"]
    assert returned["role"] == ROLE
    assert returned["rules"][0]["destination"]["encryption_configuration"]["replica_kms_key_id"] == KEY
    assert "warnings" not in result


def test_second_run_is_unchanged(buckets: Any, run_module: Any) -> None:
    run_module(mod, args())
    again = run_module(mod, args())
    assert again["changed"] is False, again
    assert again["replication_configuration"]["rules"][0]["id"] == "replicate-all-to-dr"


def test_every_option_is_idempotent(buckets: Any, run_module: Any) -> None:
    every = args(
        rules=[
            {
                "id": "tagged",
                "priority": 10,
                "prefix": "reports/",
                "tags": {"Classification": "archive", "Team": "records"},
                "replica_modifications": True,
                "destination": {
                    "bucket": f"arn:aws:s3:::{TARGET}",
                    "account": ACCOUNT,
                    "owner_override": True,
                    "storage_class": "GLACIER_IR",
                    "replica_kms_key_id": KEY,
                    "replication_time_control": True,
                },
            },
            {
                "id": "one-tag",
                "priority": 5,
                "tags": {"k": "v"},
                "status": "disabled",
                "destination": {"bucket": TARGET},
            },
            {
                "id": "whole",
                "priority": 1,
                "delete_marker_replication": True,
                "destination": {"bucket": TARGET, "metrics": True},
            },
        ]
    )
    assert run_module(mod, every)["changed"] is True
    again = run_module(mod, every)
    assert again["changed"] is False, again
    rules = {rule["ID"]: rule for rule in stored(buckets)["Rules"]}
    assert rules["tagged"]["Destination"]["ReplicationTime"]["Status"] == "Enabled"
    assert rules["tagged"]["Destination"]["AccessControlTranslation"] == {"Owner": "Destination"}
    assert rules["one-tag"]["Status"] == "Disabled"
    assert rules["whole"]["Destination"]["Metrics"]["Status"] == "Enabled"
    assert "ReplicationTime" not in rules["whole"]["Destination"]


def test_an_equivalent_configuration_put_by_hand_is_unchanged(buckets: Any, run_module: Any) -> None:
    """Put with other spellings (Filter {}, no delete-marker block, rule order) than the module's."""
    buckets.put_bucket_replication(
        Bucket=SOURCE,
        ReplicationConfiguration={
            "Role": ROLE,
            "Rules": [
                {
                    "ID": "b",
                    "Priority": 2,
                    "Status": "Enabled",
                    "Filter": {"Prefix": "b/"},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::{TARGET}"},
                },
                {
                    "ID": "a",
                    "Priority": 1,
                    "Status": "Enabled",
                    "Filter": {},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::{TARGET}"},
                },
            ],
        },
    )
    result = run_module(
        mod,
        args(
            rules=[
                {"id": "a", "destination": {"bucket": TARGET}},
                {"id": "b", "prefix": "b/", "destination": {"bucket": TARGET}},
            ]
        ),
    )
    assert result["changed"] is False, result


def test_check_mode_reports_and_writes_nothing(buckets: Any, run_module: Any) -> None:
    result = run_module(mod, args(), check_mode=True)
    assert result["changed"] is True
    assert result["replication_configuration"]["rules"][0]["id"] == "replicate-all-to-dr"
    assert not has_replication(buckets)
    run_module(mod, args())
    assert run_module(mod, args(), check_mode=True)["changed"] is False


def test_diff_shows_before_and_after(buckets: Any, run_module: Any) -> None:
    result = run_module(mod, args(), diff=True)
    assert result["diff"]["before"] == {}
    after = result["diff"]["after"]
    assert after["role"] == ROLE
    assert after["rules"][0]["delete_marker_replication"] == "Enabled"
    assert after["rules"][0]["destination"]["bucket"] == TARGET


def test_a_changed_rule_is_put_again(buckets: Any, run_module: Any) -> None:
    run_module(mod, args())
    changed = args()
    changed["rules"][0]["destination"]["storage_class"] = "STANDARD_IA"
    result = run_module(mod, changed, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["rules"][0]["destination"]["storage_class"] == "STANDARD"
    assert result["diff"]["after"]["rules"][0]["destination"]["storage_class"] == "STANDARD_IA"
    assert stored(buckets)["Rules"][0]["Destination"]["StorageClass"] == "STANDARD_IA"
    assert run_module(mod, changed)["changed"] is False


def test_rules_not_listed_are_removed(buckets: Any, run_module: Any) -> None:
    two = args(
        rules=[
            {"id": "a", "destination": {"bucket": TARGET}},
            {"id": "b", "prefix": "b/", "destination": {"bucket": TARGET}},
        ]
    )
    run_module(mod, two)
    one = args(rules=[{"id": "a", "destination": {"bucket": TARGET}}])
    assert run_module(mod, one)["changed"] is True
    assert [rule["ID"] for rule in stored(buckets)["Rules"]] == ["a"]


def test_absent_removes_once(buckets: Any, run_module: Any) -> None:
    run_module(mod, args())
    absent = {"bucket": SOURCE, "region": "us-east-1", "state": "absent"}
    checked = run_module(mod, absent, check_mode=True)
    assert checked["changed"] is True
    assert has_replication(buckets)
    result = run_module(mod, absent, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == {}
    assert not has_replication(buckets)
    assert run_module(mod, absent)["changed"] is False


def test_absent_on_a_missing_bucket_is_unchanged(aws: Any, run_module: Any) -> None:
    result = run_module(mod, {"bucket": "no-such-bucket-here", "region": "us-east-1", "state": "absent"})
    assert result["changed"] is False, result


def test_present_on_a_missing_bucket_fails(aws: Any, run_module: Any) -> None:
    result = run_module(mod, args(bucket="no-such-bucket-here"))
    assert result["failed"] is True
    assert "Couldn't find bucket no-such-bucket-here" in result["msg"]


def test_check_mode_on_a_bucket_not_made_yet_reports_a_change(aws: Any, run_module: Any) -> None:
    result = run_module(mod, args(bucket="bucket-made-later-in-the-run"), check_mode=True)
    assert result["changed"] is True, result


def test_unversioned_source_fails_clearly(aws: Any, run_module: Any) -> None:
    aws.client("s3", region_name="us-east-1").create_bucket(Bucket=SOURCE)
    result = run_module(mod, args())
    assert result["failed"] is True
    assert f"Couldn't put the replication configuration of bucket {SOURCE}" in result["msg"]


@pytest.mark.parametrize(
    "rules, message",
    [
        ([], "at least one rule"),
        (
            [
                {"id": "a", "destination": {"bucket": TARGET}},
                {"id": "a", "priority": 7, "destination": {"bucket": TARGET}},
            ],
            "ids must be unique",
        ),
        (
            [
                {"id": "a", "priority": 2, "destination": {"bucket": TARGET}},
                {"id": "b", "destination": {"bucket": TARGET}},
            ],
            "priorities must be unique",
        ),
        (
            [{"id": "a", "tags": {"k": "v"}, "delete_marker_replication": True, "destination": {"bucket": TARGET}}],
            "delete markers",
        ),
        ([{"id": "a", "destination": {"bucket": TARGET, "owner_override": True}}], "needs destination.account"),
        (
            [{"id": "a", "destination": {"bucket": TARGET, "replication_time_control": True, "metrics": False}}],
            "needs metrics",
        ),
        (
            [{"id": "a", "sse_kms_encrypted_objects": True, "destination": {"bucket": TARGET}}],
            "needs destination.replica_kms_key_id",
        ),
    ],
    ids=[
        "empty",
        "duplicate-id",
        "duplicate-priority",
        "tags-and-delete-markers",
        "owner-without-account",
        "rtc-without-metrics",
        "sse-kms-without-key",
    ],
)
def test_invalid_rules_fail_before_any_call(
    buckets: Any, run_module: Any, rules: list[dict[str, Any]], message: str
) -> None:
    result = run_module(mod, args(rules=rules))
    assert result["failed"] is True
    assert message in result["msg"]
    assert not has_replication(buckets)


def test_present_needs_role_and_rules(aws: Any, run_module: Any) -> None:
    result = run_module(mod, {"bucket": SOURCE, "region": "us-east-1"})
    assert result["failed"] is True
    assert "role" in result["msg"] and "rules" in result["msg"]
