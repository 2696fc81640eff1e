"""Emulator extension: a VPC's default security group has AWS's inbound rule
(all traffic from itself), and log groups take and drop a KMS key."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

REGION = "us-west-2"
KEY = f"arn:aws:kms:{REGION}:123456789012:key/0c4a0ad1-6f5e-4c0a-9d46-1b0b1f1e7e01"


def default_group(ec2, vpc_id):
    filters = [{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    return ec2.describe_security_groups(Filters=filters)["SecurityGroups"][0]


def test_a_new_vpcs_default_group_admits_itself_and_lets_everything_out(aws):
    ec2 = aws.client("ec2", region_name=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]

    group = default_group(ec2, vpc_id)

    assert [(p["IpProtocol"], [g["GroupId"] for g in p["UserIdGroupPairs"]]) for p in group["IpPermissions"]] == [
        ("-1", [group["GroupId"]])
    ]
    assert [r["CidrIp"] for p in group["IpPermissionsEgress"] for r in p["IpRanges"]] == ["0.0.0.0/0"]


def test_the_default_groups_rules_can_be_revoked(aws):
    ec2 = aws.client("ec2", region_name=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = default_group(ec2, vpc_id)

    ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=group["IpPermissions"])
    ec2.revoke_security_group_egress(GroupId=group["GroupId"], IpPermissions=group["IpPermissionsEgress"])

    emptied = default_group(ec2, vpc_id)
    assert emptied["IpPermissions"] == [] and emptied["IpPermissionsEgress"] == []


def kms_key_of(logs, name):
    return logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0].get("kmsKeyId")


def test_a_log_group_takes_a_key_then_drops_it(aws):
    logs = aws.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName="/aws/lambda/app")

    logs.associate_kms_key(logGroupName="/aws/lambda/app", kmsKeyId=KEY)
    assert kms_key_of(logs, "/aws/lambda/app") == KEY

    logs.disassociate_kms_key(logGroupName="/aws/lambda/app")
    assert kms_key_of(logs, "/aws/lambda/app") is None


def test_associating_a_key_with_a_missing_group_is_not_found(aws):
    logs = aws.client("logs", region_name=REGION)

    with pytest.raises(ClientError) as error:
        logs.associate_kms_key(logGroupName="/nope", kmsKeyId=KEY)

    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
