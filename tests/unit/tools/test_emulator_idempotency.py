"""Emulator extension: a create retried with the same idempotency token (EC2's ClientToken, Route 53's
CallerReference) meets what the first call made, as AWS documents, instead of making a second one."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

REGION = "us-west-2"


@pytest.fixture
def ec2(aws):
    return aws.client("ec2", region_name=REGION)


@pytest.fixture
def public_subnet(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.9.0.0/24")["Subnet"]


def nat_gateways(ec2, subnet_id):
    filters = [{"Name": "subnet-id", "Values": [subnet_id]}]
    return ec2.describe_nat_gateways(Filters=filters)["NatGateways"]


def test_a_nat_gateway_retried_with_its_client_token_is_the_same_gateway(ec2, public_subnet):
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    request = {"SubnetId": public_subnet["SubnetId"], "AllocationId": allocation, "ClientToken": "lost-answer-1"}

    first = ec2.create_nat_gateway(**request)["NatGateway"]["NatGatewayId"]
    again = ec2.create_nat_gateway(**request)["NatGateway"]["NatGatewayId"]

    assert again == first
    assert [g["NatGatewayId"] for g in nat_gateways(ec2, public_subnet["SubnetId"])] == [first]


def test_the_same_client_token_with_other_parameters_is_a_mismatch(ec2, public_subnet):
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    other = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.create_nat_gateway(SubnetId=public_subnet["SubnetId"], AllocationId=allocation, ClientToken="token-2")

    with pytest.raises(ClientError) as error:
        ec2.create_nat_gateway(SubnetId=public_subnet["SubnetId"], AllocationId=other, ClientToken="token-2")

    assert error.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    assert len(nat_gateways(ec2, public_subnet["SubnetId"])) == 1


def test_botocore_fills_in_a_new_token_for_each_call_so_two_calls_make_two_gateways(ec2, public_subnet):
    for _ignored in range(2):
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.create_nat_gateway(SubnetId=public_subnet["SubnetId"], AllocationId=allocation)

    assert len(nat_gateways(ec2, public_subnet["SubnetId"])) == 2


def test_a_route_table_and_a_flow_log_retried_with_their_tokens_are_made_once(aws, ec2, public_subnet):
    vpc_id = public_subnet["VpcId"]
    tables = [ec2.create_route_table(VpcId=vpc_id, ClientToken="table-1")["RouteTable"]["RouteTableId"] for _ignored in "ab"]
    assert tables[0] == tables[1]
    assert len(ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]) == 2  # main

    request = {
        "ResourceIds": [vpc_id], "ResourceType": "VPC", "TrafficType": "ALL", "LogGroupName": "/flow",
        "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow", "ClientToken": "flow-1",
    }  # fmt: skip
    logs = [ec2.create_flow_logs(**request)["FlowLogIds"] for _ignored in "ab"]
    assert logs[0] == logs[1]
    assert len(ec2.describe_flow_logs()["FlowLogs"]) == 1


def test_a_gateway_endpoint_retried_with_its_client_token_is_made_once(ec2, public_subnet):
    vpc_id = public_subnet["VpcId"]
    request = {"VpcId": vpc_id, "ServiceName": f"com.amazonaws.{REGION}.s3", "VpcEndpointType": "Gateway",
               "ClientToken": "endpoint-1"}  # fmt: skip
    ids = [ec2.create_vpc_endpoint(**request)["VpcEndpoint"]["VpcEndpointId"] for _ignored in "ab"]
    assert ids[0] == ids[1]
    assert len(ec2.describe_vpc_endpoints()["VpcEndpoints"]) == 1


HEALTH_CHECK = {"Type": "HTTP", "FullyQualifiedDomainName": "alb.example.com", "Port": 80, "ResourcePath": "/health"}


def test_a_health_check_retried_with_its_caller_reference_is_the_same_check(aws):
    route53 = aws.client("route53", region_name="us-east-1")
    first = route53.create_health_check(CallerReference="ref-1", HealthCheckConfig=HEALTH_CHECK)["HealthCheck"]
    again = route53.create_health_check(CallerReference="ref-1", HealthCheckConfig=HEALTH_CHECK)["HealthCheck"]

    assert again["Id"] == first["Id"]
    assert [c["Id"] for c in route53.list_health_checks()["HealthChecks"]] == [first["Id"]]


def test_a_caller_reference_reused_with_other_settings_is_already_exists(aws):
    route53 = aws.client("route53", region_name="us-east-1")
    route53.create_health_check(CallerReference="ref-2", HealthCheckConfig=HEALTH_CHECK)

    with pytest.raises(ClientError) as error:
        route53.create_health_check(CallerReference="ref-2", HealthCheckConfig={**HEALTH_CHECK, "Port": 8080})

    assert error.value.response["Error"]["Code"] == "HealthCheckAlreadyExists"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert len(route53.list_health_checks()["HealthChecks"]) == 1


def test_a_hosted_zone_retried_with_its_caller_reference_is_refused_not_made_twice(aws):
    route53 = aws.client("route53", region_name="us-east-1")
    route53.create_hosted_zone(Name="dr.example.com", CallerReference="zone-1")

    with pytest.raises(ClientError) as error:
        route53.create_hosted_zone(Name="dr.example.com", CallerReference="zone-1")

    assert error.value.response["Error"]["Code"] == "HostedZoneAlreadyExists"
    assert [z["Name"] for z in route53.list_hosted_zones()["HostedZones"]] == ["dr.example.com."]
    # another reference is another request: Route 53 allows zones of the same name
    route53.create_hosted_zone(Name="dr.example.com", CallerReference="zone-2")
    assert len(route53.list_hosted_zones()["HostedZones"]) == 2


@pytest.fixture
def two_public_subnets(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    return [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.8.{n}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
        for n, zone in enumerate("ab")
    ]


def test_a_load_balancer_created_again_with_the_same_settings_is_the_same_one(aws, two_public_subnets):
    elbv2 = aws.client("elbv2", region_name=REGION)
    first = elbv2.create_load_balancer(Name="alb-app", Subnets=two_public_subnets)["LoadBalancers"][0]
    again = elbv2.create_load_balancer(Name="alb-app", Subnets=two_public_subnets)["LoadBalancers"][0]

    assert again["LoadBalancerArn"] == first["LoadBalancerArn"]
    assert [b["LoadBalancerName"] for b in elbv2.describe_load_balancers()["LoadBalancers"]] == ["alb-app"]


def test_a_load_balancer_name_taken_with_other_settings_is_a_duplicate(aws, two_public_subnets):
    elbv2 = aws.client("elbv2", region_name=REGION)
    elbv2.create_load_balancer(Name="alb-app", Subnets=two_public_subnets)

    with pytest.raises(ClientError) as error:
        elbv2.create_load_balancer(Name="alb-app", Subnets=two_public_subnets, Scheme="internal")

    assert error.value.response["Error"]["Code"] == "DuplicateLoadBalancerName"
    assert len(elbv2.describe_load_balancers()["LoadBalancers"]) == 1


def test_a_listener_created_again_on_its_port_is_the_same_one(aws, two_public_subnets):
    elbv2 = aws.client("elbv2", region_name=REGION)
    balancer = elbv2.create_load_balancer(Name="alb-app", Subnets=two_public_subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    request = {"LoadBalancerArn": balancer, "Protocol": "HTTP", "Port": 80,
               "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]}  # fmt: skip
    first = elbv2.create_listener(**request)["Listeners"][0]["ListenerArn"]
    again = elbv2.create_listener(**request)["Listeners"][0]["ListenerArn"]

    assert again == first
    assert len(elbv2.describe_listeners(LoadBalancerArn=balancer)["Listeners"]) == 1
    with pytest.raises(ClientError) as error:
        elbv2.create_listener(**{**request, "Protocol": "HTTPS", "Certificates": [{"CertificateArn": "arn:aws:iam::123456789012:server-certificate/x"}]})
    assert error.value.response["Error"]["Code"] == "DuplicateListener"
