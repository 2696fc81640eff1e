"""vpc_flow_log driven through moto in-process: create, idempotence, check mode,
tags, replacement of immutable attributes, deletion, S3 destinations."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.healthcare.dr.plugins.modules import vpc_flow_log

REGION = "us-east-1"
ROLE_ARN = "arn:aws:iam::123456789012:role/flowlogs-delivery"
OTHER_ROLE_ARN = "arn:aws:iam::123456789012:role/flowlogs-delivery-2"
LOG_GROUP = "/vpc/flow-logs/vpc-main-us-east-1-dev"
BUCKET = "flow-logs-us-east-1-dev"


@pytest.fixture
def ec2(aws: Any) -> Any:
    return aws.client("ec2", region_name=REGION)


@pytest.fixture
def vpc_id(ec2: Any) -> str:
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


def cwl_args(vpc_id: str, **overrides: Any) -> dict[str, Any]:
    args = dict(
        region=REGION,
        state="present",
        resource_id=vpc_id,
        resource_type="VPC",
        traffic_type="ALL",
        log_destination_type="cloud-watch-logs",
        log_group_name=LOG_GROUP,
        deliver_logs_permission_arn=ROLE_ARN,
        max_aggregation_interval=600,
        tags={"Name": "flowlog-main-us-east-1-dev"},
        purge_tags=True,
    )
    args.update(overrides)
    return args


def s3_args(vpc_id: str, **overrides: Any) -> dict[str, Any]:
    args = dict(
        region=REGION,
        resource_id=vpc_id,
        traffic_type="REJECT",
        log_destination_type="s3",
        log_destination=f"arn:aws:s3:::{BUCKET}",
        max_aggregation_interval=60,
        tags={"Name": "flowlog-s3-us-east-1-dev"},
    )
    args.update(overrides)
    return args


def flow_logs(ec2: Any, vpc_id: str) -> list[dict[str, Any]]:
    return ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]


def tags_of(flow_log: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in flow_log.get("Tags", [])}


def test_creates_the_flow_log_with_tags(run_module, ec2, vpc_id):
    result = run_module(vpc_flow_log, cwl_args(vpc_id))

    assert not result.get("failed"), result
    assert result["changed"] is True
    assert result["replaced"] is False
    (stored,) = flow_logs(ec2, vpc_id)
    assert result["flow_log"]["id"] == stored["FlowLogId"] == result["flow_log"]["flow_log_id"]
    assert result["flow_log"]["resource_id"] == vpc_id
    assert result["flow_log"]["log_group_name"] == LOG_GROUP
    assert result["flow_log"]["deliver_logs_permission_arn"] == ROLE_ARN
    assert result["flow_log"]["max_aggregation_interval"] == 600
    assert result["flow_log"]["tags"] == {"Name": "flowlog-main-us-east-1-dev"}
    assert result["flow_log"]["creation_time"].startswith(str(stored["CreationTime"].year))
    assert stored["TrafficType"] == "ALL"
    assert tags_of(stored) == {"Name": "flowlog-main-us-east-1-dev"}


def test_rerun_is_unchanged(run_module, ec2, vpc_id):
    first = run_module(vpc_flow_log, cwl_args(vpc_id))

    second = run_module(vpc_flow_log, cwl_args(vpc_id), diff=True)

    assert second["changed"] is False, second
    assert second["flow_log"]["id"] == first["flow_log"]["id"]
    assert second["deleted_flow_log_ids"] == []
    assert second["diff"]["before"] == second["diff"]["after"]
    assert len(flow_logs(ec2, vpc_id)) == 1


def test_check_mode_creates_nothing(run_module, ec2, vpc_id):
    result = run_module(vpc_flow_log, cwl_args(vpc_id), check_mode=True, diff=True)

    assert result["changed"] is True
    assert result["flow_log"] == {}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["log_group_name"] == LOG_GROUP
    assert result["diff"]["after"]["tags"] == {"Name": "flowlog-main-us-east-1-dev"}
    assert flow_logs(ec2, vpc_id) == []


def test_check_mode_on_a_converged_flow_log_is_unchanged(run_module, ec2, vpc_id):
    run_module(vpc_flow_log, cwl_args(vpc_id))

    result = run_module(vpc_flow_log, cwl_args(vpc_id), check_mode=True)

    assert result["changed"] is False


def test_updates_tags_in_place(run_module, ec2, vpc_id):
    first = run_module(vpc_flow_log, cwl_args(vpc_id, tags={"Name": "a", "Old": "x"}))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, tags={"Name": "b", "New": "y"}), diff=True)

    assert result["changed"] is True
    assert result["replaced"] is False
    assert result["flow_log"]["id"] == first["flow_log"]["id"]
    assert result["flow_log"]["tags"] == {"Name": "b", "New": "y"}
    assert result["diff"]["before"]["tags"] == {"Name": "a", "Old": "x"}
    assert result["diff"]["after"]["tags"] == {"Name": "b", "New": "y"}
    (stored,) = flow_logs(ec2, vpc_id)
    assert tags_of(stored) == {"Name": "b", "New": "y"}


def test_tags_in_check_mode_are_not_written(run_module, ec2, vpc_id):
    run_module(vpc_flow_log, cwl_args(vpc_id, tags={"Name": "a"}))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, tags={"Name": "b"}), check_mode=True)

    assert result["changed"] is True
    (stored,) = flow_logs(ec2, vpc_id)
    assert tags_of(stored) == {"Name": "a"}


def test_keeps_other_tags_without_purge(run_module, ec2, vpc_id):
    run_module(vpc_flow_log, cwl_args(vpc_id, tags={"Name": "a", "Keep": "me"}))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, tags={"Extra": "1"}, purge_tags=False))

    assert result["changed"] is True
    assert result["flow_log"]["tags"] == {"Name": "a", "Keep": "me", "Extra": "1"}


def test_omitted_tags_are_left_alone(run_module, ec2, vpc_id):
    run_module(vpc_flow_log, cwl_args(vpc_id, tags={"Name": "a"}))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, tags=None))

    assert result["changed"] is False
    assert result["flow_log"]["tags"] == {"Name": "a"}


@pytest.mark.parametrize(
    "change, attribute",
    [
        ({"max_aggregation_interval": 60}, "max_aggregation_interval"),
        ({"deliver_logs_permission_arn": OTHER_ROLE_ARN}, "deliver_logs_permission_arn"),
        ({"log_format": "${version} ${srcaddr} ${dstaddr} ${action}"}, "log_format"),
    ],
)
def test_replaces_on_a_changed_immutable_attribute(run_module, ec2, vpc_id, change, attribute):
    first = run_module(vpc_flow_log, cwl_args(vpc_id))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, **change), diff=True)

    assert not result.get("failed"), result
    assert result["changed"] is True
    assert result["replaced"] is True
    assert result["replaced_attributes"] == [attribute]
    assert result["deleted_flow_log_ids"] == [first["flow_log"]["id"]]
    assert result["flow_log"]["id"] != first["flow_log"]["id"]
    (stored,) = flow_logs(ec2, vpc_id)
    assert stored["FlowLogId"] == result["flow_log"]["id"]
    assert result["flow_log"][attribute] == change[attribute]
    assert tags_of(stored) == {"Name": "flowlog-main-us-east-1-dev"}
    assert result["diff"]["before"][attribute] != result["diff"]["after"][attribute]

    again = run_module(vpc_flow_log, cwl_args(vpc_id, **change))
    assert again["changed"] is False


def test_replacement_in_check_mode_keeps_the_old_flow_log(run_module, ec2, vpc_id):
    first = run_module(vpc_flow_log, cwl_args(vpc_id))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, max_aggregation_interval=60), check_mode=True)

    assert result["changed"] is True
    assert result["replaced"] is True
    (stored,) = flow_logs(ec2, vpc_id)
    assert stored["FlowLogId"] == first["flow_log"]["id"]
    assert stored["MaxAggregationInterval"] == 600


def test_another_log_group_is_another_flow_log(run_module, ec2, vpc_id):
    first = run_module(vpc_flow_log, cwl_args(vpc_id))

    second = run_module(vpc_flow_log, cwl_args(vpc_id, log_group_name="/vpc/other"))

    assert second["changed"] is True
    assert second["replaced"] is False
    assert {fl["FlowLogId"] for fl in flow_logs(ec2, vpc_id)} == {first["flow_log"]["id"], second["flow_log"]["id"]}


def test_absent_deletes_the_flow_log(run_module, ec2, vpc_id):
    created = run_module(vpc_flow_log, cwl_args(vpc_id))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, state="absent"), diff=True)

    assert result["changed"] is True
    assert result["deleted_flow_log_ids"] == [created["flow_log"]["id"]]
    assert result["flow_log"] == {}
    assert result["diff"]["before"]["flow_log_id"] == created["flow_log"]["id"]
    assert result["diff"]["after"] == {}
    assert flow_logs(ec2, vpc_id) == []


def test_absent_twice_is_unchanged(run_module, ec2, vpc_id):
    run_module(vpc_flow_log, cwl_args(vpc_id))
    run_module(vpc_flow_log, cwl_args(vpc_id, state="absent"))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, state="absent"))

    assert not result.get("failed"), result
    assert result["changed"] is False
    assert result["deleted_flow_log_ids"] == []


def test_absent_needs_no_role_and_leaves_other_flow_logs(run_module, ec2, vpc_id):
    run_module(vpc_flow_log, cwl_args(vpc_id))
    other = run_module(vpc_flow_log, cwl_args(vpc_id, log_group_name="/vpc/other"))

    result = run_module(
        vpc_flow_log,
        dict(region=REGION, state="absent", resource_id=vpc_id, log_group_name=LOG_GROUP),
    )

    assert result["changed"] is True
    assert [fl["FlowLogId"] for fl in flow_logs(ec2, vpc_id)] == [other["flow_log"]["id"]]


def test_absent_with_another_traffic_type_leaves_the_flow_log(run_module, ec2, vpc_id):
    created = run_module(vpc_flow_log, cwl_args(vpc_id))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, state="absent", traffic_type="REJECT"))

    assert result["changed"] is False
    assert [fl["FlowLogId"] for fl in flow_logs(ec2, vpc_id)] == [created["flow_log"]["id"]]


def test_absent_in_check_mode_deletes_nothing(run_module, ec2, vpc_id):
    run_module(vpc_flow_log, cwl_args(vpc_id))

    result = run_module(vpc_flow_log, cwl_args(vpc_id, state="absent"), check_mode=True)

    assert result["changed"] is True
    assert len(flow_logs(ec2, vpc_id)) == 1


def test_absent_on_a_missing_vpc_is_unchanged(run_module, aws):
    result = run_module(vpc_flow_log, cwl_args("vpc-0123456789abcdef0", state="absent"))

    assert result["changed"] is False


def test_s3_destination(run_module, aws, ec2, vpc_id):
    aws.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)

    created = run_module(vpc_flow_log, s3_args(vpc_id))

    assert not created.get("failed"), created
    assert created["changed"] is True
    flow_log = created["flow_log"]
    assert flow_log["log_destination_type"] == "s3"
    assert flow_log["log_destination"] == f"arn:aws:s3:::{BUCKET}"
    assert flow_log["traffic_type"] == "REJECT"
    assert flow_log["max_aggregation_interval"] == 60
    assert flow_log["tags"] == {"Name": "flowlog-s3-us-east-1-dev"}

    # The same destination written with a trailing slash is the same flow log.
    # (moto 5.2 accepts only a bare bucket ARN, not a folder in it: folders are
    # not exercised here.)
    again = run_module(vpc_flow_log, s3_args(vpc_id, log_destination=f"arn:aws:s3:::{BUCKET}/"))
    assert again["changed"] is False
    assert again["flow_log"]["id"] == flow_log["id"]

    gone = run_module(vpc_flow_log, s3_args(vpc_id, state="absent"))
    assert gone["changed"] is True
    assert flow_logs(ec2, vpc_id) == []


def test_s3_destination_to_a_missing_bucket_fails_naming_the_resource(run_module, ec2, vpc_id):
    result = run_module(vpc_flow_log, s3_args(vpc_id))

    assert result["failed"] is True
    assert f"Couldn't create flow log of VPC {vpc_id}" in result["msg"]
    assert flow_logs(ec2, vpc_id) == []


def test_subnet_flow_log(run_module, ec2, vpc_id):
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]

    result = run_module(vpc_flow_log, cwl_args(subnet_id, resource_type="Subnet"))

    assert result["changed"] is True
    assert result["flow_log"]["resource_id"] == subnet_id
    assert flow_logs(ec2, vpc_id) == []


def test_missing_vpc_fails_naming_the_resource(run_module, aws):
    result = run_module(vpc_flow_log, cwl_args("vpc-0123456789abcdef0"))

    assert result["failed"] is True
    assert "Couldn't create flow log of VPC vpc-0123456789abcdef0" in result["msg"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"deliver_logs_permission_arn": None}, "deliver_logs_permission_arn is required"),
        ({"log_group_name": None}, "log_group_name"),
        ({"log_destination": "arn:aws:s3:::bucket"}, "log_destination is for log_destination_type=s3"),
    ],
)
def test_invalid_cloud_watch_logs_arguments_fail(run_module, ec2, vpc_id, overrides, message):
    result = run_module(vpc_flow_log, cwl_args(vpc_id, **overrides))

    assert result["failed"] is True
    assert message in result["msg"]
    assert flow_logs(ec2, vpc_id) == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"log_destination": None}, "log_destination"),
        ({"log_destination": "my-bucket"}, "must be an S3 bucket ARN"),
        ({"log_group_name": LOG_GROUP}, "log_group_name is for log_destination_type=cloud-watch-logs"),
    ],
)
def test_invalid_s3_arguments_fail(run_module, ec2, vpc_id, overrides, message):
    result = run_module(vpc_flow_log, s3_args(vpc_id, **overrides))

    assert result["failed"] is True
    assert message in result["msg"]


def test_identity_matches_a_log_group_given_as_destination_arn():
    """AWS describes a CloudWatch Logs flow log with its log group ARN as well as its name."""
    params = dict(
        traffic_type="ALL",
        log_destination_type="cloud-watch-logs",
        log_group_name=LOG_GROUP,
        log_destination=None,
    )
    described = dict(
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogDestination=f"arn:aws:logs:us-east-1:123456789012:log-group:{LOG_GROUP}:*",
    )

    assert vpc_flow_log.same_identity(described, params)
    assert not vpc_flow_log.same_identity(dict(described, TrafficType="REJECT"), params)
    assert not vpc_flow_log.same_identity(
        dict(described, LogDestination="arn:aws:logs:us-east-1:123456789012:log-group:/other:*"), params
    )
