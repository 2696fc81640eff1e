"""vpc_peering_routes through moto in-process: two VPCs, us-east-1 and us-west-2.

What moto 5.2 does with cross-region peering (checked here, relied on below):
- CreateVpcPeeringConnection with PeerRegion puts the same connection in both
  regions' backends; it must be accepted in the accepter's region (accepting in
  the requester's region is OperationNotPermitted, as in AWS); status changes
  are immediate (no initiating-request/provisioning delay).
- DescribeVpcPeeringConnections ignores Filters (the module filters again).
- Tags given with the request are the requester region's; tags set in the
  accepter region are stored there (DescribeTags per region), while the
  connection's own Tags field shows the requester's in both regions.
- Routes are never in state blackhole: the blackhole replacement is tested on
  the planning function with a route as AWS would describe it.
- A deleted connection stays listed in state deleted.
"""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.healthcare.dr.plugins.modules import vpc_peering_routes

EAST, WEST = "us-east-1", "us-west-2"
EAST_APP = ["10.0.10.0/24", "10.0.11.0/24"]
WEST_APP = ["10.1.10.0/24", "10.1.11.0/24"]


@pytest.fixture
def net(aws: Any) -> dict[str, Any]:
    """Two VPCs with two private route tables each, and an IGW route in one."""
    out: dict[str, Any] = {}
    for name, region, cidr in (("east", EAST, "10.0.0.0/16"), ("west", WEST, "10.1.0.0/16")):
        ec2 = aws.client("ec2", region_name=region)
        vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        tables = [ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"] for _table in range(2)]
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        ec2.create_route(RouteTableId=tables[0], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        out[name] = {"ec2": ec2, "vpc": vpc, "tables": tables, "igw": igw}
    return out


def args(net: dict[str, Any], **extra: Any) -> dict[str, Any]:
    base = {
        "region": EAST,
        "vpc_id": net["east"]["vpc"],
        "peer_vpc_id": net["west"]["vpc"],
        "peer_region": WEST,
        "route_table_ids": net["east"]["tables"],
        "destination_cidr_blocks": WEST_APP,
        "peer_route_table_ids": net["west"]["tables"],
        "peer_destination_cidr_blocks": EAST_APP,
        "tags": {"Name": "pcx-main-global-dev", "Project": "healthcare-dr"},
        "wait_timeout": 10,
    }
    base.update(extra)
    return base


def peerings(ec2: Any, *codes: str) -> list[dict[str, Any]]:
    found = ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]
    return [p for p in found if not codes or p["Status"]["Code"] in codes]


def routes(ec2: Any, table_id: str) -> dict[str, str]:
    """Destination → target of every route of ``table_id``."""
    table = ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0]
    return {
        r["DestinationCidrBlock"]: r.get("VpcPeeringConnectionId") or r.get("GatewayId")
        for r in table["Routes"]
        if "DestinationCidrBlock" in r
    }


def test_creates_accepts_and_routes_both_ways(net, run_module):
    result = run_module(vpc_peering_routes, args(net, allow_dns_resolution=True))

    assert result["changed"] is True, result
    pcx_id = result["peering_id"]
    pcx = result["peering_connection"]
    assert pcx["id"] == pcx_id and pcx_id.startswith("pcx-")
    assert pcx["status"]["code"] == "active"
    assert pcx["requester_vpc_info"]["vpc_id"] == net["east"]["vpc"]
    assert pcx["requester_vpc_info"]["region"] == EAST
    assert pcx["accepter_vpc_info"]["vpc_id"] == net["west"]["vpc"]
    assert pcx["accepter_vpc_info"]["region"] == WEST
    assert pcx["requester_vpc_info"]["peering_options"]["allow_dns_resolution_from_remote_vpc"] is True
    assert pcx["accepter_vpc_info"]["peering_options"]["allow_dns_resolution_from_remote_vpc"] is True
    assert pcx["tags"] == {"Name": "pcx-main-global-dev", "Project": "healthcare-dr"}

    for side, peer_cidrs in (("east", WEST_APP), ("west", EAST_APP)):
        for table_id in net[side]["tables"]:
            table = routes(net[side]["ec2"], table_id)
            for cidr in peer_cidrs:
                assert table[cidr] == pcx_id
    # The IGW route nobody asked about is still there.
    assert routes(net["east"]["ec2"], net["east"]["tables"][0])["0.0.0.0/0"] == net["east"]["igw"]
    assert len(result["routes"]["added"]["local"]) == 4
    assert len(result["routes"]["added"]["peer"]) == 4
    assert result["routes"]["removed"] == {"local": [], "peer": []}

    # Exactly one live connection, seen from both regions; tags on both sides.
    assert [p["VpcPeeringConnectionId"] for p in peerings(net["east"]["ec2"], "active")] == [pcx_id]
    assert [p["VpcPeeringConnectionId"] for p in peerings(net["west"]["ec2"], "active")] == [pcx_id]
    for side in ("east", "west"):
        tags = net[side]["ec2"].describe_tags(Filters=[{"Name": "resource-id", "Values": [pcx_id]}])["Tags"]
        assert {t["Key"]: t["Value"] for t in tags}["Name"] == "pcx-main-global-dev", side


def test_second_run_changes_nothing(net, run_module):
    first = run_module(vpc_peering_routes, args(net, allow_dns_resolution=True))
    second = run_module(vpc_peering_routes, args(net, allow_dns_resolution=True), diff=True)

    assert second["changed"] is False, second
    assert second["peering_id"] == first["peering_id"]
    assert second["routes"] == {k: {"local": [], "peer": []} for k in ("added", "replaced", "removed")}
    assert second["diff"]["before"] == second["diff"]["after"]
    # And in check mode on the converged state.
    assert run_module(vpc_peering_routes, args(net, allow_dns_resolution=True), check_mode=True)["changed"] is False


def test_check_mode_on_empty_state_predicts_and_writes_nothing(net, run_module):
    result = run_module(vpc_peering_routes, args(net), check_mode=True, diff=True)

    assert result["changed"] is True
    assert result["peering_id"] == ""
    assert len(result["routes"]["added"]["local"]) == 4
    assert result["diff"]["before"]["peering"] == {}
    assert result["diff"]["after"]["peering"]["status"] == "active"
    assert result["diff"]["after"]["routes"]["peer"][net["west"]["tables"][1]] == sorted(EAST_APP)
    assert peerings(net["east"]["ec2"]) == []
    for side in ("east", "west"):
        for table_id in net[side]["tables"]:
            assert not any(t.startswith("pcx-") for t in routes(net[side]["ec2"], table_id).values())


def test_accepts_a_pending_connection_it_finds(net, run_module):
    east = net["east"]["ec2"]
    pcx_id = east.create_vpc_peering_connection(
        VpcId=net["east"]["vpc"], PeerVpcId=net["west"]["vpc"], PeerRegion=WEST
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]

    result = run_module(vpc_peering_routes, args(net))

    assert result["changed"] is True
    assert result["peering_id"] == pcx_id
    assert [p["VpcPeeringConnectionId"] for p in peerings(east, "active")] == [pcx_id]
    assert len(peerings(east)) == 1


def test_someone_elses_route_in_the_same_table_survives(net, run_module):
    first = run_module(vpc_peering_routes, args(net))
    east = net["east"]["ec2"]
    table_id = net["east"]["tables"][1]
    # Another route through the same peering that this task does not own? No:
    # a route to somewhere else, through the IGW, added by someone else.
    east.create_route(RouteTableId=table_id, DestinationCidrBlock="192.168.0.0/16", GatewayId=net["east"]["igw"])

    second = run_module(vpc_peering_routes, args(net))

    assert second["changed"] is False, second
    table = routes(east, table_id)
    assert table["192.168.0.0/16"] == net["east"]["igw"]
    assert table[WEST_APP[0]] == first["peering_id"]


def test_an_unwanted_route_through_this_peering_is_removed(net, run_module):
    pcx_id = run_module(vpc_peering_routes, args(net))["peering_id"]
    west = net["west"]["ec2"]
    table_id = net["west"]["tables"][0]
    west.create_route(RouteTableId=table_id, DestinationCidrBlock="10.0.99.0/24", VpcPeeringConnectionId=pcx_id)
    # A wanted destination dropped from the list is unwanted now too.
    smaller = args(net, destination_cidr_blocks=WEST_APP[:1])

    check = run_module(vpc_peering_routes, smaller, check_mode=True)
    assert check["changed"] is True
    assert "10.0.99.0/24" in routes(west, table_id)  # check mode wrote nothing

    result = run_module(vpc_peering_routes, smaller, diff=True)

    assert result["changed"] is True
    assert result["routes"]["removed"]["peer"] == [
        {"route_table_id": table_id, "destination_cidr_block": "10.0.99.0/24"}
    ]
    assert sorted(d["destination_cidr_block"] for d in result["routes"]["removed"]["local"]) == [WEST_APP[1]] * 2
    assert "10.0.99.0/24" not in routes(west, table_id)
    for east_table in net["east"]["tables"]:
        assert WEST_APP[1] not in routes(net["east"]["ec2"], east_table)
        assert routes(net["east"]["ec2"], east_table)[WEST_APP[0]] == pcx_id
    assert result["diff"]["before"]["routes"]["peer"][table_id] == sorted(EAST_APP + ["10.0.99.0/24"])
    assert result["diff"]["after"]["routes"]["peer"][table_id] == sorted(EAST_APP)
    assert run_module(vpc_peering_routes, smaller)["changed"] is False


def test_a_wanted_destination_routed_elsewhere_fails_clearly_and_writes_nothing(net, run_module):
    east = net["east"]["ec2"]
    table_id = net["east"]["tables"][1]
    east.create_route(RouteTableId=table_id, DestinationCidrBlock=WEST_APP[1], GatewayId=net["east"]["igw"])

    result = run_module(vpc_peering_routes, args(net))

    assert result["failed"] is True
    assert f"{table_id} ({EAST}) routes {WEST_APP[1]} to {net['east']['igw']}" in result["msg"]
    assert routes(east, table_id)[WEST_APP[1]] == net["east"]["igw"]
    assert peerings(east) == []  # failed before requesting anything


def test_a_table_of_another_vpc_is_refused(net, run_module):
    east = net["east"]["ec2"]
    other_vpc = east.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    other_table = east.create_route_table(VpcId=other_vpc)["RouteTable"]["RouteTableId"]

    result = run_module(vpc_peering_routes, args(net, route_table_ids=[other_table]))

    assert result["failed"] is True
    assert result["msg"] == f"Route table {other_table} belongs to {other_vpc}, not to {net['east']['vpc']} ({EAST})"
    assert peerings(east) == []


def test_a_missing_table_names_it(net, run_module):
    west_table = net["west"]["tables"][0]

    result = run_module(vpc_peering_routes, args(net, route_table_ids=[west_table]))

    assert result["failed"] is True
    assert result["msg"].startswith(f"Couldn't describe route tables {west_table} of {net['east']['vpc']} in {EAST}")


def test_a_bad_cidr_names_the_option(net, run_module):
    result = run_module(vpc_peering_routes, args(net, peer_destination_cidr_blocks=["10.0.10.5/24"]))

    assert result["failed"] is True
    assert result["msg"].startswith("peer_destination_cidr_blocks: '10.0.10.5/24'")


def test_tags_are_updated_and_purged(net, run_module):
    pcx_id = run_module(vpc_peering_routes, args(net))["peering_id"]

    result = run_module(vpc_peering_routes, args(net, tags={"Name": "pcx-renamed"}))

    assert result["changed"] is True
    assert result["peering_connection"]["tags"] == {"Name": "pcx-renamed"}
    west_tags = net["west"]["ec2"].describe_tags(Filters=[{"Name": "resource-id", "Values": [pcx_id]}])["Tags"]
    assert {t["Key"]: t["Value"] for t in west_tags} == {"Name": "pcx-renamed"}
    assert run_module(vpc_peering_routes, args(net, tags={"Name": "pcx-renamed"}))["changed"] is False


def test_absent_removes_routes_and_peering_then_is_a_no_op(net, run_module):
    pcx_id = run_module(vpc_peering_routes, args(net))["peering_id"]
    east = net["east"]["ec2"]

    check = run_module(vpc_peering_routes, args(net, state="absent"), check_mode=True)
    assert check["changed"] is True
    assert peerings(east, "active")  # still there

    result = run_module(vpc_peering_routes, args(net, state="absent"), diff=True)

    assert result["changed"] is True
    assert result["peering_id"] == pcx_id
    assert len(result["routes"]["removed"]["local"]) == 4 and len(result["routes"]["removed"]["peer"]) == 4
    assert peerings(east, "active", "pending-acceptance") == []
    assert [p["Status"]["Code"] for p in peerings(east)] == ["deleted"]  # moto keeps it listed
    for side in ("east", "west"):
        for table_id in net[side]["tables"]:
            assert not any(t.startswith("pcx-") for t in routes(net[side]["ec2"], table_id).values())
    assert routes(east, net["east"]["tables"][0])["0.0.0.0/0"] == net["east"]["igw"]
    assert result["diff"]["before"]["peering"]["id"] == pcx_id
    assert result["diff"]["after"] == {
        "peering": {},
        "routes": {"local": {t: [] for t in net["east"]["tables"]}, "peer": {t: [] for t in net["west"]["tables"]}},
    }

    again = run_module(vpc_peering_routes, args(net, state="absent"))
    assert again["changed"] is False
    assert again["peering_id"] == ""


def test_present_after_absent_makes_a_new_connection(net, run_module):
    old = run_module(vpc_peering_routes, args(net))["peering_id"]
    run_module(vpc_peering_routes, args(net, state="absent"))

    result = run_module(vpc_peering_routes, args(net))

    assert result["changed"] is True
    assert result["peering_id"] != old
    assert routes(net["west"]["ec2"], net["west"]["tables"][0])[EAST_APP[0]] == result["peering_id"]


def test_a_blackhole_route_is_replaced_and_a_live_one_is_a_conflict():
    table = {
        "Routes": [
            {
                "DestinationCidrBlock": "10.0.0.0/16",
                "GatewayId": "local",
                "Origin": "CreateRouteTable",
                "State": "active",
            },
            {
                "DestinationCidrBlock": "10.1.10.0/24",
                "VpcPeeringConnectionId": "pcx-old",
                "Origin": "CreateRoute",
                "State": "blackhole",
            },
            {
                "DestinationCidrBlock": "10.1.11.0/24",
                "NatGatewayId": "nat-1",
                "Origin": "CreateRoute",
                "State": "active",
            },
            {
                "DestinationCidrBlock": "10.1.99.0/24",
                "VpcPeeringConnectionId": "pcx-new",
                "Origin": "CreateRoute",
                "State": "active",
            },
        ]
    }
    wanted = ["10.1.10.0/24", "10.1.11.0/24", "10.1.12.0/24", "10.0.0.0/16"]

    plan = vpc_peering_routes.plan_table_routes(table, wanted, "pcx-new", replace_blackhole=True)

    assert plan == {
        "add": ["10.1.12.0/24"],
        "replace": ["10.1.10.0/24"],
        "remove": ["10.1.99.0/24"],
        "conflicts": [("10.1.11.0/24", "nat-1"), ("10.0.0.0/16", "local")],
    }
    strict = vpc_peering_routes.plan_table_routes(table, wanted, "pcx-new", replace_blackhole=False)
    assert ("10.1.10.0/24", "pcx-old") in strict["conflicts"]


def test_a_connection_requested_from_the_peer_side_is_reused_and_deleted(net, run_module):
    west = net["west"]["ec2"]
    pcx_id = west.create_vpc_peering_connection(
        VpcId=net["west"]["vpc"], PeerVpcId=net["east"]["vpc"], PeerRegion=EAST
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]

    result = run_module(vpc_peering_routes, args(net, allow_dns_resolution=True))

    assert result["changed"] is True
    assert result["peering_id"] == pcx_id  # accepted in us-east-1, not requested again
    assert result["peering_connection"]["requester_vpc_info"]["vpc_id"] == net["west"]["vpc"]
    assert [p["VpcPeeringConnectionId"] for p in peerings(net["east"]["ec2"])] == [pcx_id]
    assert run_module(vpc_peering_routes, args(net, allow_dns_resolution=True))["changed"] is False

    assert run_module(vpc_peering_routes, args(net, state="absent"))["changed"] is True
    assert [p["Status"]["Code"] for p in peerings(west)] == ["deleted"]
