"""vpc_route_tables through moto in-process: one VPC in us-east-1 with an internet
gateway, two NAT gateways and two subnets per tier.

What moto 5.2 does here (checked, relied on below): DescribeRouteTables honours the
vpc-id filter and returns each table's Tags; a new table is described at once;
ReplaceRoute and ReplaceRouteTableAssociation work as on AWS (the latter gives the
association a new ID); a NAT route is described with NatGatewayId.
"""

from __future__ import annotations

from typing import Any

import botocore.client
import pytest

from ansible_collections.healthcare.dr.plugins.modules import vpc_route_tables

REGION = "us-east-1"
COMMON = {"Project": "healthcare-dr", "Environment": "dev"}


@pytest.fixture
def net(aws: Any) -> dict[str, Any]:
    ec2 = aws.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = {
        tier: [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{offset + i}.0/24")["Subnet"]["SubnetId"] for i in range(2)
        ]
        for tier, offset in (("public", 0), ("app", 10), ("db", 20))
    }
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    nats = [ec2.create_nat_gateway(SubnetId=s)["NatGateway"]["NatGatewayId"] for s in subnets["public"]]
    return {"ec2": ec2, "vpc": vpc, "subnets": subnets, "igw": igw, "nats": nats}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the EC2 operations called (arrange's too: clear before the run that matters)."""
    made: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def record(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        made.append(operation_name)
        return original(self, operation_name, api_params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", record)
    return made


def writes(calls: list[str]) -> list[str]:
    return [c for c in calls if not c.startswith("Describe")]


def wanted(net: dict[str, Any]) -> list[dict[str, Any]]:
    """The network role's layout, two AZs: public, one app table per AZ, db."""
    return [
        {
            "name": "rtb-public",
            "tags": {"Tier": "public"},
            "subnets": net["subnets"]["public"],
            "routes": [{"dest": "0.0.0.0/0", "gateway_id": net["igw"]}],
        },
        *(
            {
                "name": f"rtb-app-{i + 1}",
                "tags": {"Tier": "app"},
                "subnets": [net["subnets"]["app"][i]],
                # The second as amazon.aws users write it: a NAT gateway given as gateway_id.
                "routes": [{"dest": "0.0.0.0/0", ("nat_gateway_id" if i == 0 else "gateway_id"): net["nats"][i]}],
            }
            for i in range(2)
        ),
        {"name": "rtb-db", "tags": {"Tier": "db"}, "subnets": net["subnets"]["db"], "routes": []},
    ]


def args(net: dict[str, Any], tables: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    base = {"region": REGION, "vpc_id": net["vpc"], "tags": COMMON, "route_tables": tables or wanted(net)}
    base.update(extra)
    return base


def table_named(net: dict[str, Any], name: str) -> dict[str, Any]:
    found = net["ec2"].describe_route_tables(Filters=[{"Name": "tag:Name", "Values": [name]}])["RouteTables"]
    assert len(found) == 1, found
    return found[0]


def routes(table: dict[str, Any]) -> dict[str, str]:
    """Destination -> target of every CIDR route of ``table``."""
    return {
        r["DestinationCidrBlock"]: r.get("NatGatewayId") or r.get("VpcPeeringConnectionId") or r.get("GatewayId")
        for r in table["Routes"]
        if "DestinationCidrBlock" in r
    }


def subnets(table: dict[str, Any]) -> list[str]:
    return sorted(a["SubnetId"] for a in table["Associations"] if a.get("SubnetId"))


def tags(table: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in table.get("Tags", [])}


def test_creates_every_table_from_empty(net, run_module):
    result = run_module(vpc_route_tables, args(net))

    assert result["changed"] is True, result
    assert [t["name"] for t in result["route_tables"]] == ["rtb-public", "rtb-app-1", "rtb-app-2", "rtb-db"]
    public = table_named(net, "rtb-public")
    assert result["route_tables"][0]["id"] == public["RouteTableId"]
    assert tags(public) == {**COMMON, "Name": "rtb-public", "Tier": "public"}
    assert routes(public) == {"10.0.0.0/16": "local", "0.0.0.0/0": net["igw"]}
    assert subnets(public) == sorted(net["subnets"]["public"])
    for i in range(2):
        app = table_named(net, f"rtb-app-{i + 1}")
        assert routes(app)["0.0.0.0/0"] == net["nats"][i]
        assert [r.get("NatGatewayId") for r in app["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"] == [
            net["nats"][i]
        ]
        assert subnets(app) == [net["subnets"]["app"][i]]
    db = table_named(net, "rtb-db")
    assert routes(db) == {"10.0.0.0/16": "local"}
    assert subnets(db) == sorted(net["subnets"]["db"])
    # What is returned is what was read back.
    returned = result["route_tables"][3]
    assert returned == {
        "id": db["RouteTableId"],
        "name": "rtb-db",
        "tags": {**COMMON, "Name": "rtb-db", "Tier": "db"},
        "subnets": sorted(net["subnets"]["db"]),
        "routes": [{"destination_cidr_block": "10.0.0.0/16", "gateway_id": "local", "origin": "CreateRouteTable",
                    "state": "active"}],
    }  # fmt: skip
    assert result["actions"][:4] == [
        f"create route table {n}" for n in ("rtb-public", "rtb-app-1", "rtb-app-2", "rtb-db")
    ]


def test_a_rerun_changes_nothing_and_writes_nothing(net, run_module, calls):
    first = run_module(vpc_route_tables, args(net))
    calls.clear()

    second = run_module(vpc_route_tables, args(net), diff=True)

    assert second["changed"] is False, second
    assert second["actions"] == []
    assert calls == ["DescribeRouteTables"]  # one read: every listed subnet is already associated
    assert second["route_tables"] == first["route_tables"]
    assert second["diff"]["before"] == second["diff"]["after"]
    assert run_module(vpc_route_tables, args(net), check_mode=True)["changed"] is False
    assert writes(calls) == []


def test_a_changed_route_target_is_replaced(net, run_module):
    run_module(vpc_route_tables, args(net))
    tables = wanted(net)
    tables[1]["routes"] = [{"dest": "0.0.0.0/0", "nat_gateway_id": net["nats"][1]}]

    result = run_module(vpc_route_tables, args(net, tables), diff=True)

    assert result["changed"] is True
    assert result["actions"] == [
        f"route table rtb-app-1 - replace route to 0.0.0.0/0 ({net['nats'][0]} -> {net['nats'][1]})"
    ]
    assert routes(table_named(net, "rtb-app-1"))["0.0.0.0/0"] == net["nats"][1]
    assert result["diff"]["before"]["route_tables"]["rtb-app-1"]["routes"]["0.0.0.0/0"] == net["nats"][0]
    assert result["diff"]["after"]["route_tables"]["rtb-app-1"]["routes"]["0.0.0.0/0"] == net["nats"][1]
    assert run_module(vpc_route_tables, args(net, tables))["changed"] is False


def test_a_subnet_on_another_table_is_moved_and_an_unlisted_one_leaves(net, run_module):
    ec2 = net["ec2"]
    # Someone else's table holds a db subnet; the public table holds an app subnet it should not.
    other = ec2.create_route_table(VpcId=net["vpc"])["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=other, SubnetId=net["subnets"]["db"][0])
    run_module(vpc_route_tables, args(net))
    stray = net["subnets"]["app"][1]
    app_2 = table_named(net, "rtb-app-2")
    association = next(a["RouteTableAssociationId"] for a in app_2["Associations"] if a.get("SubnetId") == stray)
    ec2.replace_route_table_association(
        AssociationId=association, RouteTableId=table_named(net, "rtb-public")["RouteTableId"]
    )

    tables = wanted(net)
    tables[0]["subnets"] = net["subnets"]["public"][:1]  # and the second public subnet is no longer listed
    result = run_module(vpc_route_tables, args(net, tables))

    assert result["changed"] is True
    assert table_named(net, "rtb-db")["RouteTableId"] != other
    assert subnets(table_named(net, "rtb-db")) == sorted(net["subnets"]["db"])  # moved from `other` on the first run
    assert subnets(ec2.describe_route_tables(RouteTableIds=[other])["RouteTables"][0]) == []
    assert subnets(table_named(net, "rtb-app-2")) == [stray]  # moved back, not left on the main table
    assert subnets(table_named(net, "rtb-public")) == net["subnets"]["public"][:1]
    assert sorted(result["actions"]) == sorted(
        [
            f"subnet {stray} - move from rtb-public to rtb-app-2",
            f"subnet {net['subnets']['public'][1]} - disassociate from rtb-public",
        ]
    )
    assert run_module(vpc_route_tables, args(net, tables))["changed"] is False


def test_subnets_not_given_leave_associations_alone(net, run_module):
    run_module(vpc_route_tables, args(net))
    tables = wanted(net)
    del tables[3]["subnets"]

    assert run_module(vpc_route_tables, args(net, tables))["changed"] is False
    assert subnets(table_named(net, "rtb-db")) == sorted(net["subnets"]["db"])


def test_tags_are_updated_and_purged(net, run_module):
    run_module(vpc_route_tables, args(net))
    db_id = table_named(net, "rtb-db")["RouteTableId"]
    net["ec2"].create_tags(Resources=[db_id], Tags=[{"Key": "Owner", "Value": "someone"}])

    # Without any tags option, only Name is ensured: the extra tags stay.
    untagged = [{k: v for k, v in t.items() if k != "tags"} for t in wanted(net)]
    assert run_module(vpc_route_tables, args(net, untagged, tags=None))["changed"] is False
    # purge_tags=false keeps it too.
    assert run_module(vpc_route_tables, args(net, purge_tags=False))["changed"] is False
    assert tags(table_named(net, "rtb-db"))["Owner"] == "someone"

    result = run_module(vpc_route_tables, args(net, tags={"Project": "healthcare-dr", "CostCentre": "42"}))

    assert result["changed"] is True
    assert tags(table_named(net, "rtb-db")) == {
        "Name": "rtb-db",
        "Tier": "db",
        "Project": "healthcare-dr",
        "CostCentre": "42",
    }
    assert "route table rtb-db - tags: set CostCentre; remove Environment, Owner" in result["actions"]
    assert result["route_tables"][3]["tags"]["CostCentre"] == "42"


def test_check_mode_predicts_and_writes_nothing(net, run_module, calls):
    calls.clear()

    result = run_module(vpc_route_tables, args(net), check_mode=True, diff=True)

    assert result["changed"] is True
    assert writes(calls) == []
    assert (
        len(net["ec2"].describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [net["vpc"]]}])["RouteTables"]) == 1
    )
    public = result["route_tables"][0]
    assert public["id"] == ""
    assert public["tags"] == {**COMMON, "Name": "rtb-public", "Tier": "public"}
    assert public["subnets"] == sorted(net["subnets"]["public"])
    assert result["diff"]["before"] == {"route_tables": {}}
    assert result["diff"]["after"]["route_tables"]["rtb-app-2"]["routes"] == {
        "10.0.0.0/16": "local",
        "0.0.0.0/0": net["nats"][1],
    }

    # And on a drifted state: the replacement is predicted, not made.
    run_module(vpc_route_tables, args(net))
    tables = wanted(net)
    tables[0]["routes"] = [{"dest": "0.0.0.0/0", "nat_gateway_id": net["nats"][0]}]
    calls.clear()
    drifted = run_module(vpc_route_tables, args(net, tables), check_mode=True)
    assert drifted["changed"] is True
    assert writes(calls) == []
    assert drifted["route_tables"][0]["routes"][-1]["nat_gateway_id"] == net["nats"][0]
    assert routes(table_named(net, "rtb-public"))["0.0.0.0/0"] == net["igw"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t, n: t.append(dict(t[3], subnets=[])), "route_tables[4] (rtb-db): name 'rtb-db' is already route_tables[3]'s"),
        (lambda t, n: t[0].update(routes=[{"dest": "0.0.0.0/0"}]), "route_tables[0] (rtb-public): the route to 0.0.0.0/0 "
         "needs exactly one of gateway_id, nat_gateway_id, transit_gateway_id, network_interface_id, "
         "vpc_peering_connection_id, got none"),
        (lambda t, n: t[1]["routes"][0].update(gateway_id=n["igw"]), "route_tables[1] (rtb-app-1): the route to 0.0.0.0/0 "
         "needs exactly one of gateway_id, nat_gateway_id, transit_gateway_id, network_interface_id, "
         "vpc_peering_connection_id, got gateway_id and nat_gateway_id"),
        (lambda t, n: t[0]["routes"][0].update(dest="10.0.0.5/16"), "route_tables[0] (rtb-public): dest '10.0.0.5/16' is not"),
        (lambda t, n: t[3]["subnets"].append(n["subnets"]["public"][0]),
         "route_tables[3] (rtb-db): subnet {public} is also listed for rtb-public"),
        (lambda t, n: t[3].update(tags={"Name": "other"}), "route_tables[3] (rtb-db): route_tables[3].tags has Name 'other'"),
    ],
    ids=["same-name", "no-target", "two-targets", "host-bits", "subnet-twice", "name-tag"],
)  # fmt: skip
def test_bad_input_fails_in_one_line_before_any_call(net, run_module, calls, change, message):
    tables = wanted(net)
    change(tables, net)
    calls.clear()

    result = run_module(vpc_route_tables, args(net, tables))

    assert result["failed"] is True
    assert result["msg"].startswith(message.replace("{public}", net["subnets"]["public"][0])), result["msg"]
    assert "\n" not in result["msg"]
    assert calls == []


def test_conflicts_found_in_aws_fail_before_any_write(net, run_module, calls):
    ec2 = net["ec2"]
    other_vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    foreign = ec2.create_subnet(VpcId=other_vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    tables = wanted(net)
    tables[3]["subnets"] = [foreign, "subnet-0000000000000000f"]
    calls.clear()

    result = run_module(vpc_route_tables, args(net, tables))

    assert result["failed"] is True
    assert (
        result["msg"] == f"Subnets not found: subnet-0000000000000000f; not in {net['vpc']}: {foreign} (in {other_vpc})"
    )
    assert writes(calls) == []

    tables = wanted(net)
    tables[3]["routes"] = [{"dest": "10.0.0.0/16", "gateway_id": net["igw"]}]
    run_module(vpc_route_tables, args(net))
    calls.clear()
    result = run_module(vpc_route_tables, args(net, tables))
    db_id = table_named(net, "rtb-db")["RouteTableId"]
    assert result["msg"] == f"{db_id} (rtb-db): 10.0.0.0/16 is the VPC's local route, it cannot go to {net['igw']}"
    assert writes(calls) == []

    # Two tables of the VPC named alike: which one is meant is not guessed.
    twin = ec2.create_route_table(VpcId=net["vpc"])["RouteTable"]["RouteTableId"]
    ec2.create_tags(Resources=[twin], Tags=[{"Key": "Name", "Value": "rtb-db"}])
    calls.clear()
    result = run_module(vpc_route_tables, args(net))
    assert result["msg"].startswith(f"2 route tables of {net['vpc']} are named rtb-db (")
    assert writes(calls) == []


def test_a_missing_vpc_is_named(net, run_module):
    result = run_module(vpc_route_tables, args(net, vpc_id="vpc-0000000000000000f"))

    assert result["failed"] is True
    assert result["msg"] == "VPC vpc-0000000000000000f not found: it has no route tables, not even its main one"


def test_routes_nobody_listed_are_left_alone(net, run_module):
    ec2 = net["ec2"]
    run_module(vpc_route_tables, args(net))
    peer_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    pcx = ec2.create_vpc_peering_connection(VpcId=net["vpc"], PeerVpcId=peer_vpc)["VpcPeeringConnection"]
    app_1 = table_named(net, "rtb-app-1")["RouteTableId"]
    # As healthcare.dr.vpc_peering_routes leaves it.
    ec2.create_route(
        RouteTableId=app_1, DestinationCidrBlock="10.1.10.0/24", VpcPeeringConnectionId=pcx["VpcPeeringConnectionId"]
    )

    assert run_module(vpc_route_tables, args(net))["changed"] is False
    # Even in a run that changes the table's listed route.
    tables = wanted(net)
    tables[1]["routes"] = [{"dest": "0.0.0.0/0", "nat_gateway_id": net["nats"][1]}]
    assert run_module(vpc_route_tables, args(net, tables))["changed"] is True

    table = routes(table_named(net, "rtb-app-1"))
    assert table == {"10.0.0.0/16": "local", "0.0.0.0/0": net["nats"][1], "10.1.10.0/24": pcx["VpcPeeringConnectionId"]}


def test_an_ipv6_route(net, run_module):
    tables = wanted(net)[:1]
    tables[0]["routes"].append({"dest": "::/0", "gateway_id": net["igw"]})

    result = run_module(vpc_route_tables, args(net, tables))

    assert result["changed"] is True
    table = table_named(net, "rtb-public")
    assert [r.get("GatewayId") for r in table["Routes"] if r.get("DestinationIpv6CidrBlock") == "::/0"] == [net["igw"]]
    assert run_module(vpc_route_tables, args(net, tables))["changed"] is False
