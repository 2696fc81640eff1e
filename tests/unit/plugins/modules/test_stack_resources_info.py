"""stack_resources_info driven through moto: the stack's resources by role, the environment's only,
the pair-wide ones only for the primary region, read-only in check mode."""

from __future__ import annotations

import json

from ansible_collections.healthcare.dr.plugins.module_utils.names import stack_names
from ansible_collections.healthcare.dr.plugins.modules import stack_resources_info

REGION = "us-east-1"
PEER = "us-west-2"
SUFFIX = "dev"
NAMES = stack_names(REGION, SUFFIX)
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})  # fmt: skip


def tags(suffix=SUFFIX, **more):
    return [{"Key": "ManagedBy", "Value": "healthcare.dr"}, {"Key": "Environment", "Value": suffix}] + [
        {"Key": k, "Value": v} for k, v in more.items()
    ]


def vpc(aws, name, suffix=SUFFIX, region=REGION):
    ec2 = aws.client("ec2", region_name=region)
    return ec2.create_vpc(CidrBlock="10.10.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": tags(suffix, Name=name)}])["Vpc"]["VpcId"]  # fmt: skip


def run(run_module, check_mode=False, **args):
    return run_module(stack_resources_info, {"environment_suffix": SUFFIX, "region": REGION, **args}, check_mode=check_mode)


def test_nothing_left_in_an_empty_region(aws, run_module):
    result = run(run_module)

    assert result["changed"] is False
    assert result["left"] is False
    assert set(result["roles"]) == {"network", "aurora", "lambda_alb", "s3", "eventbridge", "dns_failover",
                                    "monitoring", "edge", "audit"}  # fmt: skip
    assert not any(result["resources"].values())


def test_finds_the_environments_vpc_by_its_tags_not_anothers(aws, run_module):
    vpc(aws, NAMES["vpc"])
    vpc(aws, "vpc-main-us-east-1-prod", suffix="prod")

    result = run(run_module, roles=["network"])

    assert result["left"] is True
    assert result["resources"]["vpc"] == [NAMES["vpc"]]
    assert result["roles"]["network"]["vpc"] == [NAMES["vpc"]]


def test_each_role_gets_its_own_iam_roles_and_keys(aws, run_module):
    iam = aws.client("iam")
    for name in (NAMES["flow_log_role"], NAMES["lambda_role"], "iam-lambda-us-east-1-prod", "someone-elses"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    kms = aws.client("kms", region_name=REGION)
    key = kms.create_key(Tags=[{"TagKey": "ManagedBy", "TagValue": "healthcare.dr"},
                               {"TagKey": "Environment", "TagValue": SUFFIX}])["KeyMetadata"]["KeyId"]  # fmt: skip
    kms.create_alias(AliasName=f"alias/{NAMES['aurora_key']}", TargetKeyId=key)
    untagged = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=f"alias/{NAMES['s3_key']}", TargetKeyId=untagged)

    result = run(run_module, roles=["network", "lambda_alb", "aurora", "s3"])

    assert result["roles"]["network"]["iam_role"] == [NAMES["flow_log_role"]]
    assert result["roles"]["lambda_alb"]["iam_role"] == [NAMES["lambda_role"]]
    assert result["roles"]["aurora"]["kms_key"] == [f"alias/{NAMES['aurora_key']}"]
    assert result["roles"]["s3"]["kms_key"] == []
    assert result["resources"]["iam_role"] == sorted([NAMES["flow_log_role"], NAMES["lambda_role"]])


def test_a_key_scheduled_for_deletion_is_not_left(aws, run_module):
    kms = aws.client("kms", region_name=REGION)
    key = kms.create_key(Tags=[{"TagKey": "ManagedBy", "TagValue": "healthcare.dr"},
                               {"TagKey": "Environment", "TagValue": SUFFIX}])["KeyMetadata"]["KeyId"]  # fmt: skip
    kms.create_alias(AliasName=f"alias/{NAMES['logs_key']}", TargetKeyId=key)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)

    result = run(run_module, roles=["network"])

    assert result["resources"]["kms_key"] == []
    assert result["resources"]["kms_alias"] == []


def test_pair_wide_resources_only_for_the_primary(aws, run_module):
    iam = aws.client("iam")
    iam.create_role(RoleName=NAMES["config_role"], AssumeRolePolicyDocument=TRUST)
    aws.client("s3").create_bucket(Bucket=f"{NAMES['audit_bucket']}-123456789012")

    primary = run(run_module, roles=["audit"], account="123456789012")
    secondary = run(run_module, roles=["audit"], account="123456789012", primary=False)

    assert primary["resources"]["iam_role"] == [NAMES["config_role"]]
    assert primary["resources"]["bucket"] == [f"{NAMES['audit_bucket']}-123456789012"]
    assert "iam_role" not in secondary["resources"] and "bucket" not in secondary["resources"]
    assert secondary["left"] is False


def test_the_data_bucket_is_named_after_the_account_from_sts(aws, run_module):
    account = aws.client("sts").get_caller_identity()["Account"]
    aws.client("s3").create_bucket(Bucket=f"{NAMES['data_bucket']}-{account}")
    aws.client("s3").create_bucket(Bucket=f"{NAMES['data_bucket']}-000000000000")

    result = run(run_module, roles=["s3"], primary=False)

    assert result["resources"]["bucket"] == [f"{NAMES['data_bucket']}-{account}"]


def test_regional_names_of_the_other_region_are_not_this_regions(aws, run_module):
    aws.client("sqs", region_name=REGION).create_queue(QueueName=stack_names(PEER, SUFFIX)["event_dlq"])
    aws.client("sqs", region_name=REGION).create_queue(QueueName=NAMES["event_dlq"])

    result = run(run_module, roles=["eventbridge"])

    assert result["resources"]["sqs_queue"] == [NAMES["event_dlq"]]


def test_the_failover_zone_only_with_its_domain(aws, run_module):
    aws.client("route53").create_hosted_zone(Name=NAMES["failover_domain"], CallerReference="x")

    without = run(run_module, roles=["dns_failover"])
    with_domain = run(run_module, roles=["dns_failover"], dns_failover_domain=NAMES["failover_domain"])

    assert "hosted_zone" not in without["resources"]
    assert with_domain["resources"]["hosted_zone"] == [NAMES["failover_domain"] + "."]


def test_check_mode_reads_the_same_and_changes_nothing(aws, run_module):
    vpc(aws, NAMES["vpc"])

    result = run(run_module, check_mode=True, roles=["network"])

    assert result["changed"] is False
    assert result["resources"]["vpc"] == [NAMES["vpc"]]


def test_fail_if_left_names_each_kind_left_in_one_line(aws, run_module):
    vpc(aws, NAMES["vpc"])

    result = run(run_module, roles=["network"], fail_if_left=True)

    assert result["failed"] is True
    assert result["msg"] == f"network: left of {SUFFIX} in {REGION}: vpc {NAMES['vpc']}"
    assert "\n" not in result["msg"]


def test_fail_if_left_passes_when_nothing_is_left(aws, run_module):
    result = run(run_module, roles=["network"], fail_if_left=True)

    assert not result.get("failed") and result["left"] is False


def test_an_ignored_kind_is_returned_but_not_left(aws, run_module):
    account = aws.client("sts").get_caller_identity()["Account"]
    aws.client("s3").create_bucket(Bucket=f"{NAMES['data_bucket']}-{account}")

    result = run(run_module, roles=["s3"], primary=False, ignore_kinds=["bucket"], fail_if_left=True)

    assert not result.get("failed") and result["left"] is False
    assert result["resources"]["bucket"] == [f"{NAMES['data_bucket']}-{account}"]
