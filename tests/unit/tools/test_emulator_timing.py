"""AWS's clock on the emulator (tools/emulator_timing.py): each lifecycle's states in order, and each refusal AWS
gives while a resource is not ready. moto in-process; each test puts the lifecycles it needs on a clock of a few
tenths of a second (``aws_clock``), moves that clock on (``later``) and reads the states through boto3, as the server would answer them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

import emulator_timing

STEP = 0.3  # seconds each lifecycle step takes in these tests
GLOBAL_ID = "aurora-global-global-test"


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``later()``: moto's state-transition clock moves one step on, at once (no sleep, whatever the load)."""
    from moto.moto_api._internal import managed_state_model

    now = [datetime.now()]

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return now[0]

    monkeypatch.setattr(managed_state_model, "datetime", Clock)

    def step_on() -> None:
        now[0] += timedelta(seconds=STEP + 0.01)

    return step_on


def moves_through(read: Any, later: Any, *states: str) -> None:
    """``read()`` answers each of ``states`` in turn, the clock moving one step on between two."""
    for number, state in enumerate(states):
        if number:
            later()
        assert read() == state


def error_code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def cluster(rds: Any, identifier: str, **extra: Any) -> dict[str, Any]:
    return rds.create_db_cluster(
        DBClusterIdentifier=identifier, Engine="aurora-postgresql", EngineVersion="14.6", **extra
    )["DBCluster"]


def cluster_status(rds: Any, identifier: str) -> str:
    return rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]["Status"]


def instance_status(rds: Any, identifier: str) -> str:
    return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]["DBInstanceStatus"]


def writer(rds: Any, identifier: str = "writer") -> None:
    cluster(rds, identifier, MasterUsername="dbadmin", MasterUserPassword="not-a-secret-1")


def instance(rds: Any, identifier: str, cluster_identifier: str = "writer") -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=identifier,
        DBClusterIdentifier=cluster_identifier,
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
    )


# The table and the environment


def test_every_lifecycle_has_a_duration_with_its_source():
    assert set(emulator_timing.DURATIONS) == set(emulator_timing.LIFECYCLES)
    for duration in emulator_timing.DURATIONS.values():
        assert duration.seconds > 0 and duration.source


def test_timing_is_off_by_default():
    assert emulator_timing.transitions({}) == {}


def test_timing_aws_scales_each_duration_over_its_steps():
    found = emulator_timing.transitions({"DR_EMULATOR_TIMING": "aws", "DR_EMULATOR_TIME_SCALE": "0.01"})
    cluster, instance = (emulator_timing.DURATIONS[m].seconds for m in ("rds::db_cluster", "rds::db_instance"))
    assert found["rds::db_cluster"] == {"progression": "time", "seconds": cluster * 0.01}
    assert found["rds::db_instance"] == {"progression": "time", "seconds": instance * 0.01 / 2}  # two steps
    assert set(found) == set(emulator_timing.DURATIONS)


def test_switch_seconds_sets_the_switch_alone():
    found = emulator_timing.transitions({"DR_EMULATOR_SWITCH_SECONDS": "2"})
    assert found == {model: {"progression": "time", "seconds": 2.0} for model in emulator_timing.SWITCH_MODELS}


# Aurora


def test_without_a_clock_moto_answers_as_before(aws):
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    instance(rds, "writer-1")
    assert instance_status(rds, "writer-1") == "available"


def test_a_cluster_is_creating_until_its_time_is_up(aws, aws_clock, later):
    aws_clock("rds::db_cluster", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    moves_through(lambda: cluster_status(rds, "writer"), later, "creating", "available")


def test_a_creating_cluster_cannot_be_modified(aws, aws_clock, later):
    aws_clock("rds::db_cluster", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    with pytest.raises(ClientError) as error:
        rds.modify_db_cluster(DBClusterIdentifier="writer", BackupRetentionPeriod=7)
    assert error_code(error) == "InvalidDBClusterStateFault"
    later()
    rds.modify_db_cluster(DBClusterIdentifier="writer", BackupRetentionPeriod=7)


def test_an_instance_is_creating_then_backing_up_then_available(aws, aws_clock, later):
    aws_clock("rds::db_instance", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    instance(rds, "writer-1")
    moves_through(lambda: instance_status(rds, "writer-1"), later, "creating", "backing-up", "available")


def global_pair_start(aws: Any) -> tuple[Any, Any]:
    east = aws.client("rds", region_name="us-east-1")
    west = aws.client("rds", region_name="us-west-2")
    east.create_global_cluster(GlobalClusterIdentifier=GLOBAL_ID, Engine="aurora-postgresql", EngineVersion="14.6")
    cluster(east, "writer", MasterUsername="dbadmin", MasterUserPassword="not-a-secret-1", GlobalClusterIdentifier=GLOBAL_ID)
    return east, west


def test_a_secondary_cannot_join_until_the_primary_and_its_instance_are_available(aws, aws_clock, later):
    aws_clock("rds::db_cluster", STEP)
    aws_clock("rds::db_instance", STEP)
    aws_clock("rds::secondary_db_cluster", STEP)
    east, west = global_pair_start(aws)
    instance(east, "writer-1")
    with pytest.raises(ClientError) as error:
        cluster(west, "reader", GlobalClusterIdentifier=GLOBAL_ID)
    assert error_code(error) == "InvalidDBClusterStateFault"
    assert "creating" in error.value.response["Error"]["Message"]
    later()
    assert cluster_status(east, "writer") == "available"
    with pytest.raises(ClientError) as error:  # its instance is only starting now
        cluster(west, "reader", GlobalClusterIdentifier=GLOBAL_ID)
    assert error_code(error) == "InvalidDBClusterStateFault"
    moves_through(lambda: instance_status(east, "writer-1"), later, "creating", "backing-up", "available")
    cluster(west, "reader", GlobalClusterIdentifier=GLOBAL_ID)
    assert cluster_status(west, "reader") == "creating"
    later()
    assert cluster_status(west, "reader") == "available"


def test_a_lifecycle_nobody_reads_is_on_time_at_its_next_read(aws, aws_clock, later):
    # moto's own ManagedState would move one step per read, each counted from that read.
    aws_clock("rds::db_instance", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    instance(rds, "writer-1")
    later()
    later()
    assert instance_status(rds, "writer-1") == "available"


def test_an_instance_is_creating_as_long_as_its_cluster_then_for_its_own_time(aws, aws_clock, later):
    aws_clock("rds::db_cluster", STEP)
    aws_clock("rds::db_instance", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    instance(rds, "writer-1")
    later()
    assert instance_status(rds, "writer-1") == "creating"  # its cluster only now available
    assert cluster_status(rds, "writer") == "available"
    moves_through(lambda: instance_status(rds, "writer-1"), later, "creating", "backing-up", "available")


def test_an_instance_is_deleting_until_gone(aws, aws_clock, later):
    aws_clock("rds::db_instance_deletion", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    instance(rds, "writer-1")
    rds.delete_db_instance(DBInstanceIdentifier="writer-1", SkipFinalSnapshot=True)
    assert instance_status(rds, "writer-1") == "deleting"
    later()
    with pytest.raises(ClientError) as error:
        instance_status(rds, "writer-1")
    assert error_code(error) == "DBInstanceNotFound"


def test_a_cluster_with_an_instance_not_deleting_cannot_be_deleted(aws, aws_clock, later):
    aws_clock("rds::db_instance_deletion", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    instance(rds, "writer-1")
    with pytest.raises(ClientError) as error:
        rds.delete_db_cluster(DBClusterIdentifier="writer", SkipFinalSnapshot=True)
    assert error_code(error) == "InvalidDBClusterStateFault"


def test_a_cluster_whose_instances_are_deleting_is_deleting_until_all_are_gone(aws, aws_clock, later):
    aws_clock("rds::db_instance_deletion", STEP * 2)
    aws_clock("rds::db_cluster_deletion", STEP)
    rds = aws.client("rds", region_name="us-east-1")
    writer(rds)
    instance(rds, "writer-1")
    rds.delete_db_instance(DBInstanceIdentifier="writer-1", SkipFinalSnapshot=True)
    rds.delete_db_cluster(DBClusterIdentifier="writer", SkipFinalSnapshot=True)
    assert cluster_status(rds, "writer") == "deleting"
    with pytest.raises(ClientError) as error:
        rds.delete_db_cluster(DBClusterIdentifier="writer", SkipFinalSnapshot=True)
    assert error_code(error) == "InvalidDBClusterStateFault"
    later()
    assert cluster_status(rds, "writer") == "deleted"  # its own deletion is over; its instance's is not
    later()
    rds.describe_db_instances()  # the instance is gone...
    assert rds.describe_db_clusters()["DBClusters"] == []  # ...and the cluster with it


# EC2


def nat_setup(aws: Any) -> dict[str, Any]:
    ec2 = aws.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    return {"ec2": ec2, "vpc": vpc, "subnet": subnet, "gateway": gateway, "nat": nat}


def nat_state(found: dict[str, Any]) -> str:
    return found["ec2"].describe_nat_gateways(NatGatewayIds=[found["nat"]])["NatGateways"][0]["State"]


def test_a_nat_gateway_is_pending_until_available(aws, aws_clock, later):
    aws_clock("ec2::nat_gateway", STEP)
    found = nat_setup(aws)
    moves_through(lambda: nat_state(found), later, "pending", "available")


def test_a_state_on_the_clock_is_saved_and_loaded_with_the_emulator(aws, aws_clock, later):
    """The suite's stack snapshots pickle every backend (tools/emulator_snapshot.py), lifecycles included."""
    import emulator_snapshot

    aws_clock("ec2::nat_gateway", STEP)
    found = nat_setup(aws)
    saved = emulator_snapshot.dumps()
    later()
    emulator_snapshot.loads(saved)
    assert nat_state(found) == "available"


def test_a_deleting_nat_gateway_holds_its_subnet_address_and_the_vpc_s_internet_gateway(aws, aws_clock, later):
    aws_clock("ec2::nat_gateway_deletion", STEP)
    found = nat_setup(aws)
    ec2 = found["ec2"]
    ec2.delete_nat_gateway(NatGatewayId=found["nat"])
    assert nat_state(found) == "deleting"
    with pytest.raises(ClientError) as error:
        ec2.delete_subnet(SubnetId=found["subnet"])
    assert error_code(error) == "DependencyViolation"
    with pytest.raises(ClientError) as error:
        ec2.detach_internet_gateway(InternetGatewayId=found["gateway"], VpcId=found["vpc"])
    assert error_code(error) == "DependencyViolation"
    allocation = ec2.describe_nat_gateways(NatGatewayIds=[found["nat"]])["NatGateways"][0]["NatGatewayAddresses"][0]
    with pytest.raises(ClientError) as error:
        ec2.release_address(AllocationId=allocation["AllocationId"])
    assert error_code(error) == "InvalidIPAddress.InUse"
    later()
    assert nat_state(found) == "deleted"
    ec2.release_address(AllocationId=allocation["AllocationId"])
    ec2.detach_internet_gateway(InternetGatewayId=found["gateway"], VpcId=found["vpc"])
    ec2.delete_subnet(SubnetId=found["subnet"])


def test_an_accepted_peering_connection_is_provisioning_until_active(aws, aws_clock, later):
    aws_clock("ec2::vpc_peering_connection", STEP)
    ec2 = aws.client("ec2", region_name="us-east-1")
    one = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    two = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    peering = ec2.create_vpc_peering_connection(VpcId=one, PeerVpcId=two)["VpcPeeringConnection"]
    identifier = peering["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=identifier)

    def code() -> str:
        found = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[identifier])
        return found["VpcPeeringConnections"][0]["Status"]["Code"]

    moves_through(code, later, "provisioning", "active")


# ELBv2 and CloudFront

DISTRIBUTION = {
    "CallerReference": "test",
    "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "example.com", "CustomOriginConfig": {
        "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]},
    "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all", "MinTTL": 0},
    "Comment": "",
    "Enabled": True,
}


def test_a_load_balancer_is_provisioning_until_active(aws, aws_clock, later):
    aws_clock("elbv2::load_balancer", STEP)
    ec2 = aws.client("ec2", region_name="us-east-1")
    elbv2 = aws.client("elbv2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
        for n, z in ((1, "a"), (2, "b"))
    ]
    arn = elbv2.create_load_balancer(Name="alb-test", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]

    def state() -> str:
        return elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["State"]["Code"]

    moves_through(state, later, "provisioning", "active")


def test_a_distribution_is_in_progress_until_deployed(aws, aws_clock, later):
    aws_clock("cloudfront::distribution", STEP)
    cloudfront = aws.client("cloudfront", region_name="us-east-1")
    identifier = cloudfront.create_distribution(DistributionConfig=DISTRIBUTION)["Distribution"]["Id"]
    moves_through(lambda: cloudfront.get_distribution(Id=identifier)["Distribution"]["Status"], later, "InProgress", "Deployed")


def test_an_updated_distribution_deploys_again_and_is_deleted_only_disabled_and_deployed(aws, aws_clock, later):
    aws_clock("cloudfront::distribution", STEP)
    cloudfront = aws.client("cloudfront", region_name="us-east-1")
    identifier = cloudfront.create_distribution(DistributionConfig=DISTRIBUTION)["Distribution"]["Id"]

    def status() -> str:
        return cloudfront.get_distribution(Id=identifier)["Distribution"]["Status"]

    def delete() -> None:
        cloudfront.delete_distribution(Id=identifier, IfMatch=cloudfront.get_distribution(Id=identifier)["ETag"])

    later()
    assert status() == "Deployed"
    with pytest.raises(ClientError) as enabled:
        delete()
    assert error_code(enabled) == "DistributionNotDisabled"

    etag = cloudfront.get_distribution(Id=identifier)["ETag"]
    cloudfront.update_distribution(Id=identifier, IfMatch=etag, DistributionConfig=dict(DISTRIBUTION, Enabled=False))
    assert status() == "InProgress"
    with pytest.raises(ClientError) as deploying:
        delete()
    assert error_code(deploying) == "DistributionNotDisabled"

    later()
    assert status() == "Deployed"
    delete()
    assert cloudfront.list_distributions()["DistributionList"].get("Items", []) == []
