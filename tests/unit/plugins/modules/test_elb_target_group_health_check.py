"""elb_target_group_health_check: turns on and sets a target group's health checks, idempotently."""

from __future__ import annotations

import pytest

from ansible_collections.healthcare.dr.plugins.modules import elb_target_group_health_check as module

REGION = "us-east-1"


@pytest.fixture
def elbv2(aws):
    return aws.client("elbv2", region_name=REGION)


@pytest.fixture
def lambda_group(elbv2):
    # What community.aws.elb_target_group creates for a Lambda target: health
    # checks left disabled (AWS's default for lambda target groups, and moto's).
    group = elbv2.create_target_group(
        Name="tg-app-us-east-1-dev", TargetType="lambda", HealthCheckProtocol="HTTP", HealthCheckPath="/health"
    )["TargetGroups"][0]
    assert group["HealthCheckEnabled"] is False
    return group


def describe(elbv2, arn):
    return elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"][0]


def test_enables_health_checks_on_a_lambda_target_group(run_module, elbv2, lambda_group):
    result = run_module(module, dict(region=REGION, name="tg-app-us-east-1-dev", path="/health", interval=35, timeout=30))

    assert result["changed"] is True
    assert result["target_group_arn"] == lambda_group["TargetGroupArn"]
    assert result["health_check"]["enabled"] is True
    assert result["health_check"]["path"] == "/health"
    group = describe(elbv2, lambda_group["TargetGroupArn"])
    assert group["HealthCheckEnabled"] is True
    assert group["HealthCheckPath"] == "/health"
    assert group["HealthCheckIntervalSeconds"] == 35
    assert group["HealthCheckTimeoutSeconds"] == 30


def test_second_run_changes_nothing(run_module, lambda_group):
    args = dict(region=REGION, name="tg-app-us-east-1-dev", path="/health", interval=35, timeout=30)
    run_module(module, args)

    again = run_module(module, args, diff=True)

    assert again["changed"] is False
    assert again["diff"]["before"] == again["diff"]["after"]


def test_check_mode_reports_and_leaves_the_group_alone(run_module, elbv2, lambda_group):
    result = run_module(module, dict(region=REGION, name="tg-app-us-east-1-dev"), check_mode=True, diff=True)

    assert result["changed"] is True
    assert result["diff"]["before"]["enabled"] is False
    assert result["diff"]["after"]["enabled"] is True
    assert describe(elbv2, lambda_group["TargetGroupArn"])["HealthCheckEnabled"] is False


def test_finds_the_group_by_arn_and_changes_only_what_is_given(run_module, elbv2, lambda_group):
    arn = lambda_group["TargetGroupArn"]
    before = describe(elbv2, arn)

    result = run_module(module, dict(region=REGION, target_group_arn=arn, healthy_threshold_count=3))

    assert result["changed"] is True
    after = describe(elbv2, arn)
    assert after["HealthyThresholdCount"] == 3
    assert after["HealthCheckEnabled"] is True
    for key in ("HealthCheckPath", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "UnhealthyThresholdCount"):
        assert after[key] == before[key], key


def test_can_disable_them_again(run_module, elbv2, lambda_group):
    run_module(module, dict(region=REGION, name="tg-app-us-east-1-dev"))

    result = run_module(module, dict(region=REGION, name="tg-app-us-east-1-dev", enabled=False))

    assert result["changed"] is True
    assert describe(elbv2, lambda_group["TargetGroupArn"])["HealthCheckEnabled"] is False


def test_response_codes_compare_as_a_set(run_module, elbv2, aws):
    vpc = aws.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = elbv2.create_target_group(
        Name="tg-http", Protocol="HTTP", Port=80, VpcId=vpc, Matcher={"HttpCode": "200,204"}
    )["TargetGroups"][0]

    same = run_module(module, dict(region=REGION, name="tg-http", successful_response_codes="204,200"))
    other = run_module(module, dict(region=REGION, name="tg-http", successful_response_codes="200-299"))

    assert same["changed"] is False
    assert other["changed"] is True
    assert describe(elbv2, group["TargetGroupArn"])["Matcher"] == {"HttpCode": "200-299"}


def test_a_missing_group_fails_clearly(run_module, aws):
    result = run_module(module, dict(region=REGION, name="tg-nope"))

    assert result["failed"] is True
    assert result["msg"] == "Couldn't find target group tg-nope"


def test_name_and_arn_are_exclusive(run_module, aws):
    result = run_module(module, dict(region=REGION, name="a", target_group_arn="arn:aws:elasticloadbalancing:x"))

    assert result["failed"] is True
    assert "mutually exclusive" in result["msg"]
