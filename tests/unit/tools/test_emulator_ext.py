"""The emulator extension installs once and leaves moto usable."""

import emulator_ext


def test_apply_is_idempotent(aws):
    emulator_ext.apply()
    emulator_ext.apply()
    assert aws.client("sts", region_name="us-east-1").get_caller_identity()["Account"]


def test_flow_log_to_an_s3_folder_is_created(aws):
    ec2 = aws.client("ec2", region_name="us-east-1")
    aws.client("s3", region_name="us-east-1").create_bucket(Bucket="flow-logs")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]

    response = ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::flow-logs/vpc/",
    )

    assert response["Unsuccessful"] == []
    (flow_log,) = ec2.describe_flow_logs(FlowLogIds=response["FlowLogIds"])["FlowLogs"]
    assert flow_log["LogDestination"] == "arn:aws:s3:::flow-logs/vpc/"


def test_flow_log_to_a_missing_bucket_folder_is_unsuccessful(aws):
    ec2 = aws.client("ec2", region_name="us-east-1")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]

    response = ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::no-such-bucket/vpc/",
    )

    assert response["FlowLogIds"] == []
    assert response["Unsuccessful"][0]["ResourceId"] == vpc_id


def test_kms_key_state_operations_accept_a_key_arn(aws):
    kms = aws.client("kms", region_name="us-east-1")
    key = kms.create_key()["KeyMetadata"]

    kms.disable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
