"""Emulator extension: an ALB's attributes are listed with AWS's defaults."""

from __future__ import annotations

import emulator_ext

REGION = "us-east-1"


def make_alb(aws, kind="application"):
    ec2 = aws.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
        for n, zone in enumerate("ab")
    ]
    elbv2 = aws.client("elbv2", region_name=REGION)
    arn = elbv2.create_load_balancer(Name=f"lb-{kind}", Subnets=subnets, Type=kind)["LoadBalancers"][0]["LoadBalancerArn"]
    return elbv2, arn


def attributes(elbv2, arn):
    return {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}


def test_a_new_alb_lists_awss_default_attributes(aws):
    elbv2, arn = make_alb(aws)

    found = attributes(elbv2, arn)

    for key, value in emulator_ext.ALB_DEFAULT_ATTRIBUTES.items():
        assert found[key] == value, key


def test_set_attributes_are_kept(aws):
    elbv2, arn = make_alb(aws)

    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arn,
        Attributes=[
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
            {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
        ],
    )

    found = attributes(elbv2, arn)
    assert found["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert found["idle_timeout.timeout_seconds"] == "120"
    assert found["access_logs.s3.enabled"] == "false"


def test_network_load_balancers_are_left_alone(aws):
    elbv2, arn = make_alb(aws, kind="network")

    assert "routing.http2.enabled" not in attributes(elbv2, arn)
