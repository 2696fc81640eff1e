#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: vpc_peering_routes
short_description: Ensure a (cross-region) VPC peering connection is active and exactly the wanted routes use it
version_added: 0.1.0
description:
  - Finds the peering connection between O(vpc_id) (in O(region)) and O(peer_vpc_id) (in O(peer_region)),
    in either direction, or requests one; accepts it in the accepter's region and waits until it is C(active).
  - Ensures that, in the route tables given on each side, a route to each wanted destination goes through this
    peering connection, and that no other route in those tables goes through it.
  - Owns only the routes whose target is this peering connection. Every other route of those tables (local,
    internet and NAT gateways, endpoints, routes to other peerings) is left alone, so a role managing the
    tables with M(amazon.aws.ec2_vpc_route_table) and O(amazon.aws.ec2_vpc_route_table#module:purge_routes=false)
    and this module never fight.
  - A wanted destination already routed to another target is a conflict and fails the task before anything is
    written, naming the table, the destination and the target. The one exception is a route in state
    C(blackhole) (its target, for example a deleted peering connection, is gone), which is replaced when
    O(replace_blackhole_routes=true).
  - With O(state=absent), removes the routes through the peering connection from the given tables on both sides,
    then deletes the peering connection. Connections in state C(deleted), C(deleting), C(rejected), C(failed) or
    C(expired) count as absent.
  - The accepter side (acceptance, its routes, its tags, its DNS option) is handled with the same credentials as
    the requester side, through a client for O(peer_region). Peering with another account therefore needs
    credentials allowed in that account.
options:
  state:
    description:
      - V(present) makes the peering connection active with exactly the wanted routes through it.
      - V(absent) removes its routes from the given tables and deletes it.
    type: str
    choices: [present, absent]
    default: present
  vpc_id:
    description:
      - ID of the requester VPC, in O(region).
    type: str
    required: true
  peer_vpc_id:
    description:
      - ID of the accepter VPC, in O(peer_region).
    type: str
    required: true
  peer_region:
    description:
      - Region of O(peer_vpc_id). Defaults to O(region) (a peering within one region).
      - The same O(endpoint_url) and credentials are used for both regions.
    type: str
  peer_owner_id:
    description:
      - AWS account ID owning O(peer_vpc_id). Defaults to the caller's account.
      - An existing peering connection whose accepter belongs to another account is not reused.
    type: str
  route_table_ids:
    description:
      - Route tables of O(vpc_id) that need routes to the peer through this peering connection.
      - Each must belong to O(vpc_id).
    type: list
    elements: str
    default: []
  destination_cidr_blocks:
    description:
      - Destinations (in the peer VPC, usually its private subnets' CIDRs rather than the whole VPC) that every
        table in O(route_table_ids) routes through this peering connection. IPv4 or IPv6 CIDRs, without host bits.
      - Routes through this peering connection in O(route_table_ids) to any other destination are removed.
    type: list
    elements: str
    default: []
  peer_route_table_ids:
    description:
      - Route tables of O(peer_vpc_id) (in O(peer_region)) that need routes back through this peering connection.
      - Each must belong to O(peer_vpc_id).
    type: list
    elements: str
    default: []
  peer_destination_cidr_blocks:
    description:
      - Destinations in O(vpc_id) that every table in O(peer_route_table_ids) routes through this peering connection.
      - Routes through this peering connection in O(peer_route_table_ids) to any other destination are removed.
    type: list
    elements: str
    default: []
  allow_dns_resolution:
    description:
      - When set, makes both the requester and the accepter option C(AllowDnsResolutionFromRemoteVpc) equal
        to it, so each VPC resolves the other's public DNS hostnames to private addresses.
      - When not set, the options are left as they are.
    type: bool
  replace_blackhole_routes:
    description:
      - Whether a route to a wanted destination whose state is C(blackhole) (its target no longer exists) is replaced
        by a route through this peering connection. When V(false), such a route is a conflict and fails the task.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for the peering connection to be visible in the accepter's region, to become
        C(active) after acceptance, and to be deleted.
    type: int
    default: 300
notes:
  - Tags are applied to the peering connection in both regions (each region keeps its own tags for it);
    RV(peering_connection.tags) are the ones seen in O(region).
  - Check mode predicts every change and writes nothing; with C(--diff) the before and after states list
    the peering connection's ID, status, tags and DNS options, and per side the destinations routed through it
    in each given table.
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the regions are peered with routes both ways
  healthcare.dr.vpc_peering_routes:
    region: us-east-1
    vpc_id: vpc-0123456789abcdef0
    peer_vpc_id: vpc-0fedcba9876543210
    peer_region: us-west-2
    route_table_ids: [rtb-0aaaaaaaaaaaaaaa1, rtb-0aaaaaaaaaaaaaaa2]
    destination_cidr_blocks: [10.1.10.0/24, 10.1.11.0/24, 10.1.12.0/24]
    peer_route_table_ids: [rtb-0bbbbbbbbbbbbbbb1]
    peer_destination_cidr_blocks: [10.0.10.0/24, 10.0.11.0/24, 10.0.12.0/24]
    allow_dns_resolution: true
    tags:
      Name: pcx-main-global-dev
      Project: healthcare-dr
  register: peering

- name: Show the peering connection's ID
  ansible.builtin.debug:
    msg: "{{ peering.peering_connection.id }} added {{ peering.routes.added.local | length }} routes here"

- name: Ensure the peering and its routes are gone
  healthcare.dr.vpc_peering_routes:
    state: absent
    region: us-east-1
    vpc_id: vpc-0123456789abcdef0
    peer_vpc_id: vpc-0fedcba9876543210
    peer_region: us-west-2
    route_table_ids: [rtb-0aaaaaaaaaaaaaaa1, rtb-0aaaaaaaaaaaaaaa2]
    peer_route_table_ids: [rtb-0bbbbbbbbbbbbbbb1]
"""

RETURN = r"""
peering_id:
  description: ID of the peering connection; empty when there is none (absent, or to be created in check mode).
  returned: always
  type: str
  sample: pcx-0123456789abcdef0
peering_connection:
  description:
    - The peering connection as described after the changes, snake_cased; empty when there is none
      (O(state=absent), or to be created in check mode).
  returned: always
  type: dict
  contains:
    id:
      description: ID of the peering connection (same as RV(peering_connection.vpc_peering_connection_id)).
      type: str
      sample: pcx-0123456789abcdef0
    vpc_peering_connection_id:
      description: ID of the peering connection.
      type: str
      sample: pcx-0123456789abcdef0
    status:
      description: Status of the connection.
      type: dict
      contains:
        code:
          description: Status code.
          type: str
          sample: active
        message:
          description: Status message.
          type: str
          sample: Active
    requester_vpc_info:
      description: The requester VPC (C(vpc_id), C(owner_id), C(region), C(cidr_block), C(peering_options)).
      type: dict
      sample: {vpc_id: vpc-0123456789abcdef0, owner_id: "123456789012", region: us-east-1, cidr_block: 10.0.0.0/16}
    accepter_vpc_info:
      description: The accepter VPC (C(vpc_id), C(owner_id), C(region), C(cidr_block), C(peering_options)).
      type: dict
      sample: {vpc_id: vpc-0fedcba9876543210, owner_id: "123456789012", region: us-west-2, cidr_block: 10.1.0.0/16}
    tags:
      description: Tags of the peering connection as seen in O(region).
      type: dict
      sample: {Name: pcx-main-global-dev}
routes:
  description: Routes through the peering connection changed by this run (predicted in check mode), per side.
  returned: always
  type: dict
  contains:
    added:
      description: Routes created, under C(local) (tables of O(vpc_id)) and C(peer) (tables of O(peer_vpc_id)).
      type: dict
      sample:
        local: [{route_table_id: rtb-0aaaaaaaaaaaaaaa1, destination_cidr_block: 10.1.10.0/24}]
        peer: [{route_table_id: rtb-0bbbbbbbbbbbbbbb1, destination_cidr_block: 10.0.10.0/24}]
    replaced:
      description: Blackhole routes replaced by a route through the peering connection, per side.
      type: dict
      sample: {local: [], peer: []}
    removed:
      description: Routes through the peering connection deleted, per side.
      type: dict
      sample: {local: [], peer: [{route_table_id: rtb-0bbbbbbbbbbbbbbb1, destination_cidr_block: 10.0.99.0/24}]}
"""

import ipaddress
from typing import Any, Dict, List, Optional, Tuple

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.calls import create_once
from ansible_collections.healthcare.dr.plugins.module_utils.calls import single_attempt_client
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import ec2_tag_writers
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import sync_tags
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tag_changes
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tags_after
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import destination_key
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import paginate
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import route_destination
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import route_target
from ansible_collections.healthcare.dr.plugins.module_utils.waiting import wait_for

# A connection in one of these states exists (or is on its way); any other state
# (deleted, deleting, rejected, failed, expired) counts as no connection.
LIVE_STATES = ("initiating-request", "pending-acceptance", "provisioning", "active")
NOT_FOUND = ("InvalidVpcPeeringConnectionID.NotFound", "InvalidVpcPeeringConnectionId.NotFound")
SIDES = ("local", "peer")


# --- Pure helpers (no AWS calls) -------------------------------------------


def normalize_cidrs(module: AnsibleAWSModule, option: str, cidrs: List[str]) -> List[str]:
    """Validate the CIDRs of ``option``; return them in canonical text, deduplicated, in order."""
    result: List[str] = []
    for cidr in cidrs:
        try:
            text = str(ipaddress.ip_network(cidr.strip(), strict=True))
        except ValueError as e:
            module.fail_json(msg=f"{option}: {cidr!r} is not a network CIDR ({e})")
        if text not in result:
            result.append(text)
    return result


def routes_through(table: Dict[str, Any], pcx_id: Optional[str]) -> List[str]:
    """Destinations that ``table`` routes through ``pcx_id``, sorted."""
    if not pcx_id:
        return []
    return sorted(
        d
        for d in (route_destination(r) for r in table.get("Routes", []) if r.get("VpcPeeringConnectionId") == pcx_id)
        if d
    )


def plan_table_routes(
    table: Dict[str, Any],
    wanted: List[str],
    pcx_id: Optional[str],
    replace_blackhole: bool,
) -> Dict[str, List[Any]]:
    """What to do in one table so that exactly ``wanted`` goes through ``pcx_id``.

    ``pcx_id`` is None when the connection does not exist yet (check mode): no
    route can go through it then. Returns lists ``add``, ``replace``,
    ``remove`` (destinations) and ``conflicts`` ((destination, target) pairs).
    """
    by_destination: Dict[str, Dict[str, Any]] = {}
    for route in table.get("Routes", []):
        destination = route_destination(route)
        if destination:
            by_destination[destination] = route
    plan: Dict[str, List[Any]] = {"add": [], "replace": [], "remove": [], "conflicts": []}
    for destination in wanted:
        route = by_destination.get(destination)
        if route is None:
            plan["add"].append(destination)
        elif pcx_id and route.get("VpcPeeringConnectionId") == pcx_id:
            continue
        elif route.get("State") == "blackhole" and replace_blackhole and route.get("Origin") != "CreateRouteTable":
            plan["replace"].append(destination)
        else:
            plan["conflicts"].append((destination, route_target(route)))
    for destination in routes_through(table, pcx_id):
        if destination not in wanted:
            plan["remove"].append(destination)
    return plan


def route_item(table_id: str, destination: str) -> Dict[str, str]:
    key = "destination_ipv6_cidr_block" if ":" in destination else "destination_cidr_block"
    return {"route_table_id": table_id, key: destination}


def dns_options(pcx: Optional[Dict[str, Any]]) -> Dict[str, bool]:
    if not pcx:
        return {}
    return {
        side: bool(pcx.get(key, {}).get("PeeringOptions", {}).get("AllowDnsResolutionFromRemoteVpc", False))
        for side, key in (("requester", "RequesterVpcInfo"), ("accepter", "AccepterVpcInfo"))
    }


# --- AWS calls ---------------------------------------------------------------


class Side:
    """One end of the peering: its region's client, VPC, tables and wanted destinations."""

    def __init__(self, name: str, client: Any, region: str, vpc_id: str, table_ids: List[str], wanted: List[str]):
        self.name = name
        self.client = client
        self.region = region
        self.vpc_id = vpc_id
        self.table_ids = table_ids
        self.wanted = wanted
        self.tables: Dict[str, Dict[str, Any]] = {}


def describe_route_tables(module: AnsibleAWSModule, side: Side) -> None:
    """Read ``side``'s tables; fail if one is missing or belongs to another VPC."""
    if not side.table_ids:
        return
    try:
        tables = side.client.describe_route_tables(aws_retry=True, RouteTableIds=side.table_ids)["RouteTables"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(
            e, msg=f"Couldn't describe route tables {', '.join(side.table_ids)} of {side.vpc_id} in {side.region}"
        )
    side.tables = {t["RouteTableId"]: t for t in tables}
    for table_id in side.table_ids:
        table = side.tables.get(table_id)
        if table is None:
            module.fail_json(msg=f"Route table {table_id} not found in {side.region}")
        if table.get("VpcId") != side.vpc_id:
            module.fail_json(
                msg=f"Route table {table_id} belongs to {table.get('VpcId')}, not to {side.vpc_id} ({side.region})"
            )


def describe_peering_by_id(module: AnsibleAWSModule, client: Any, region: str, pcx_id: str) -> Optional[Dict[str, Any]]:
    msg = f"Couldn't describe VPC peering connection {pcx_id} in {region}"
    found = aws_call(module, msg, client.describe_vpc_peering_connections, NOT_FOUND, VpcPeeringConnectionIds=[pcx_id])
    if found is None:
        return None
    return next((p for p in found["VpcPeeringConnections"] if p["VpcPeeringConnectionId"] == pcx_id), None)


def find_peering(
    module: AnsibleAWSModule, local: Side, peer: Side, peer_owner_id: Optional[str]
) -> Optional[Dict[str, Any]]:
    """The live peering connection between the two VPCs, in either direction, or None.

    Filters are sent for AWS and applied again here (the emulator ignores them).
    """
    found: List[Dict[str, Any]] = []
    for requester, accepter in ((local.vpc_id, peer.vpc_id), (peer.vpc_id, local.vpc_id)):
        filters = [
            {"Name": "requester-vpc-info.vpc-id", "Values": [requester]},
            {"Name": "accepter-vpc-info.vpc-id", "Values": [accepter]},
            {"Name": "status-code", "Values": list(LIVE_STATES)},
        ]
        try:
            pages = paginate(local.client, "describe_vpc_peering_connections", Filters=filters)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            module.fail_json_aws(
                e,
                msg=f"Couldn't describe VPC peering connections between {local.vpc_id} and {peer.vpc_id} in {local.region}",
            )
        for pcx in pages.get("VpcPeeringConnections", []):
            if (
                pcx["RequesterVpcInfo"]["VpcId"] == requester
                and pcx["AccepterVpcInfo"]["VpcId"] == accepter
                and pcx["Status"]["Code"] in LIVE_STATES
                and pcx not in found
            ):
                owners = {pcx["RequesterVpcInfo"].get("OwnerId"), pcx["AccepterVpcInfo"].get("OwnerId")}
                if peer_owner_id and peer_owner_id not in owners:
                    continue
                found.append(pcx)
    # Prefer an active connection, then the one furthest along.
    found.sort(key=lambda p: -LIVE_STATES.index(p["Status"]["Code"]))
    return found[0] if found else None


def request_peering(module: AnsibleAWSModule, local: Side, peer: Side) -> Dict[str, Any]:
    params: Dict[str, Any] = {"VpcId": local.vpc_id, "PeerVpcId": peer.vpc_id, "PeerRegion": peer.region}
    if module.params["peer_owner_id"]:
        params["PeerOwnerId"] = module.params["peer_owner_id"]
    if module.params["tags"]:
        params["TagSpecifications"] = boto3_tag_specifications(module.params["tags"], types="vpc-peering-connection")
    # EC2 takes no client token for CreateVpcPeeringConnection: one attempt per request, and after a lost
    # answer the connection is looked up before it is requested again (a second one would stay pending).
    client = single_attempt_client(module, "ec2", retry_decorator=AWSRetry.jittered_backoff(), region=local.region)
    try:
        return create_once(
            lambda: client.create_vpc_peering_connection(aws_retry=True, **params)["VpcPeeringConnection"],
            lambda: find_peering(module, local, peer, module.params["peer_owner_id"]),
        )
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(
            e,
            msg=f"Couldn't request VPC peering connection from {local.vpc_id} ({local.region}) to {peer.vpc_id} ({peer.region})",
        )


def wait_for_status(
    module: AnsibleAWSModule, side: Side, pcx_id: str, codes: Tuple[str, ...], gone_ok: bool = False
) -> Dict[str, Any]:
    """Wait until ``side``'s region sees ``pcx_id`` in one of ``codes`` (or not at all when ``gone_ok``)."""

    def check() -> Optional[Dict[str, Any]]:
        pcx = describe_peering_by_id(module, side.client, side.region, pcx_id)
        if pcx is None:
            return {"Status": {"Code": "deleted"}} if gone_ok else None
        return pcx if pcx["Status"]["Code"] in codes else None

    return wait_for(
        module,
        f"VPC peering connection {pcx_id} to be {' or '.join(codes)} in {side.region}",
        check,
        module.params["wait_timeout"],
        delay=3,
    )


def accept_peering(module: AnsibleAWSModule, accepter: Side, pcx_id: str) -> None:
    pcx = wait_for_status(module, accepter, pcx_id, ("pending-acceptance", "provisioning", "active"))
    if pcx["Status"]["Code"] != "pending-acceptance":
        return
    try:
        accepter.client.accept_vpc_peering_connection(aws_retry=True, VpcPeeringConnectionId=pcx_id)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't accept VPC peering connection {pcx_id} in {accepter.region}")


def set_dns_resolution(module: AnsibleAWSModule, pcx: Dict[str, Any], requester: Side, accepter: Side) -> None:
    wanted = module.params["allow_dns_resolution"]
    current = dns_options(pcx)
    pcx_id = pcx["VpcPeeringConnectionId"]
    # Across regions, each side's option must be changed in its own region.
    for side_name, side, key in (
        ("requester", requester, "RequesterPeeringConnectionOptions"),
        ("accepter", accepter, "AccepterPeeringConnectionOptions"),
    ):
        if current.get(side_name) == wanted:
            continue
        try:
            side.client.modify_vpc_peering_connection_options(
                aws_retry=True, VpcPeeringConnectionId=pcx_id, **{key: {"AllowDnsResolutionFromRemoteVpc": wanted}}
            )
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            module.fail_json_aws(
                e,
                msg=f"Couldn't set the {side_name} DNS resolution option of VPC peering connection {pcx_id} in {side.region}",
            )


def describe_tags(module: AnsibleAWSModule, side: Side, pcx_id: str) -> Dict[str, str]:
    try:
        result = paginate(side.client, "describe_tags", Filters=[{"Name": "resource-id", "Values": [pcx_id]}])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't describe tags of VPC peering connection {pcx_id} in {side.region}")
    return boto3_tag_list_to_ansible_dict(result.get("Tags", []))


def sync_peering_tags(module: AnsibleAWSModule, side: Side, pcx_id: str, current: Dict[str, str]) -> bool:
    """Make the connection's tags in ``side``'s region what the options say (see :func:`sync_tags`)."""
    return sync_tags(
        module,
        current,
        module.params["tags"],
        module.params["purge_tags"],
        *ec2_tag_writers(side.client, pcx_id),
        f"Couldn't tag VPC peering connection {pcx_id} in {side.region}",
    )


def apply_routes(module: AnsibleAWSModule, side: Side, plans: Dict[str, Dict[str, List[Any]]], pcx_id: str) -> None:
    for table_id, plan in plans.items():
        for action, destinations in (("remove", plan["remove"]), ("replace", plan["replace"]), ("add", plan["add"])):
            for destination in destinations:
                target = {destination_key(destination): destination, "RouteTableId": table_id}
                try:
                    if action == "remove":
                        side.client.delete_route(aws_retry=True, **target)
                    elif action == "replace":
                        side.client.replace_route(aws_retry=True, VpcPeeringConnectionId=pcx_id, **target)
                    else:
                        side.client.create_route(aws_retry=True, VpcPeeringConnectionId=pcx_id, **target)
                except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
                    verb = {"remove": "delete", "replace": "replace", "add": "create"}[action]
                    module.fail_json_aws(
                        e,
                        msg=f"Couldn't {verb} route to {destination} through VPC peering connection {pcx_id} "
                        f"in route table {table_id} ({side.region})",
                    )


# --- States --------------------------------------------------------------------


def routes_state(sides: List[Side], pcx_id: Optional[str]) -> Dict[str, Dict[str, List[str]]]:
    return {s.name: {t: routes_through(s.tables[t], pcx_id) for t in s.table_ids} for s in sides}


def peering_summary(pcx: Optional[Dict[str, Any]], tags: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    if not pcx:
        return {}
    return {
        "id": pcx.get("VpcPeeringConnectionId") or None,
        "status": pcx["Status"]["Code"],
        "allow_dns_resolution": dns_options(pcx),
        "tags": tags or {},
    }


def format_peering(pcx: Optional[Dict[str, Any]], tags: Dict[str, str]) -> Dict[str, Any]:
    if not pcx:
        return {}
    result = camel_dict_to_snake_dict({k: v for k, v in pcx.items() if k != "Tags"})
    result["id"] = pcx["VpcPeeringConnectionId"]
    result["tags"] = tags
    return result


def empty_routes() -> Dict[str, Dict[str, List[Dict[str, str]]]]:
    return {action: {s: [] for s in SIDES} for action in ("added", "replaced", "removed")}


def record(routes: Dict[str, Any], side: Side, plans: Dict[str, Dict[str, List[Any]]]) -> None:
    for table_id, plan in plans.items():
        for action, key in (("add", "added"), ("replace", "replaced"), ("remove", "removed")):
            routes[key][side.name].extend(route_item(table_id, d) for d in plan[action])


def plan_routes(sides: List[Side], pcx_id: Optional[str], replace_blackhole: bool) -> Dict[str, Dict[str, Any]]:
    """Per side and table, what to do so that exactly the wanted destinations go through ``pcx_id``."""
    return {
        s.name: {t: plan_table_routes(s.tables[t], s.wanted, pcx_id, replace_blackhole) for t in s.table_ids}
        for s in sides
    }


def fail_on_conflicts(module: AnsibleAWSModule, sides: List[Side], plans: Dict[str, Any], pcx_id: Optional[str]) -> None:
    conflicts = [
        f"{t} ({s.region}) routes {d} to {target}"
        for s in sides
        for t, p in plans[s.name].items()
        for d, target in p["conflicts"]
    ]
    if conflicts:
        module.fail_json(
            msg="Wanted peering routes conflict with existing routes (not touched; remove them or drop the destination): "
            + "; ".join(conflicts),
            peering_id=pcx_id or "",
        )


def plan_present(module: AnsibleAWSModule, sides: List[Side]) -> Dict[str, Any]:
    """Everything decided before any write: the connection, route plans (a conflict fails here), tags, changed."""
    local, peer = sides
    pcx = find_peering(module, local, peer, module.params["peer_owner_id"])
    pcx_id = pcx["VpcPeeringConnectionId"] if pcx else None
    plans = plan_routes(sides, pcx_id, module.params["replace_blackhole_routes"])
    fail_on_conflicts(module, sides, plans, pcx_id)
    tags = {s.name: describe_tags(module, s, pcx_id) if pcx_id else {} for s in sides}
    wanted_tags, purge = module.params["tags"], module.params["purge_tags"]
    wanted_dns = module.params["allow_dns_resolution"]
    changed = (
        pcx is None
        or pcx["Status"]["Code"] != "active"
        or any(p[a] for s in plans.values() for p in s.values() for a in ("add", "replace", "remove"))
        or any(any(tag_changes(tags[s.name], wanted_tags, purge)) for s in sides)
        or (wanted_dns is not None and any(v != wanted_dns for v in dns_options(pcx).values()))
    )
    routes = empty_routes()
    for s in sides:
        record(routes, s, plans[s.name])
    before = {"peering": peering_summary(pcx, tags["local"]), "routes": routes_state(sides, pcx_id)}
    return {"pcx": pcx, "pcx_id": pcx_id, "plans": plans, "tags": tags, "changed": changed, "routes": routes, "before": before}


def predict_present(module: AnsibleAWSModule, sides: List[Side], plan: Dict[str, Any]) -> Outcome:
    """The outcome without writing (check mode, or nothing to do)."""
    pcx, pcx_id, local_tags = plan["pcx"], plan["pcx_id"], plan["tags"]["local"]
    wanted_dns = module.params["allow_dns_resolution"]
    after = {
        "peering": {
            "id": pcx_id,
            "status": "active",
            "allow_dns_resolution": (
                {"requester": wanted_dns, "accepter": wanted_dns} if wanted_dns is not None else dns_options(pcx)
            ),
            "tags": tags_after(local_tags, module.params["tags"], module.params["purge_tags"]),
        },
        "routes": {s.name: {t: sorted(s.wanted) for t in s.table_ids} for s in sides},
    }
    result = dict(peering_id=pcx_id or "", peering_connection=format_peering(pcx, local_tags), routes=plan["routes"])
    return Outcome(plan["changed"], plan["before"], after, result)


def apply_present(module: AnsibleAWSModule, sides: List[Side], plan: Dict[str, Any]) -> Outcome:
    """Writes, in order: request, accept, wait active, options, tags, routes; then read back."""
    local, peer = sides
    pcx, pcx_id, tags, plans = plan["pcx"], plan["pcx_id"], plan["tags"], plan["plans"]
    if pcx is None:
        pcx = request_peering(module, local, peer)
        pcx_id = pcx["VpcPeeringConnectionId"]
        # Tags were given with the request: what is left to set is decided from what it has.
        tags = {s.name: describe_tags(module, s, pcx_id) for s in sides}
        plans = plan_routes(sides, pcx_id, module.params["replace_blackhole_routes"])

    requester, accepter = (local, peer) if pcx["RequesterVpcInfo"]["VpcId"] == local.vpc_id else (peer, local)
    if pcx["Status"]["Code"] != "active":
        accept_peering(module, accepter, pcx_id)
        pcx = wait_for_status(module, local, pcx_id, ("active",))
    if module.params["allow_dns_resolution"] is not None:
        set_dns_resolution(module, pcx, requester, accepter)
    for s in sides:
        sync_peering_tags(module, s, pcx_id, tags[s.name])
    for s in sides:
        apply_routes(module, s, plans[s.name], pcx_id)

    # Read back what is now true.
    pcx = describe_peering_by_id(module, local.client, local.region, pcx_id) or pcx
    local_tags = describe_tags(module, local, pcx_id)
    for s in sides:
        describe_route_tables(module, s)
    after = {"peering": peering_summary(pcx, local_tags), "routes": routes_state(sides, pcx_id)}
    result = dict(peering_id=pcx_id, peering_connection=format_peering(pcx, local_tags), routes=plan["routes"])
    return Outcome(True, plan["before"], after, result)


def ensure_present(module: AnsibleAWSModule, local: Side, peer: Side) -> Outcome:
    sides = [local, peer]
    plan = plan_present(module, sides)
    if module.check_mode or not plan["changed"]:
        return predict_present(module, sides, plan)
    return apply_present(module, sides, plan)


def delete_peering(module: AnsibleAWSModule, requester: Side, pcx_id: str) -> None:
    """Delete the connection from ``requester``'s region (only the requester may delete one pending acceptance)."""
    msg = f"Couldn't delete VPC peering connection {pcx_id} in {requester.region}"
    aws_call(module, msg, requester.client.delete_vpc_peering_connection, NOT_FOUND, VpcPeeringConnectionId=pcx_id)


def ensure_absent(module: AnsibleAWSModule, local: Side, peer: Side) -> Outcome:
    sides = [local, peer]
    pcx = find_peering(module, local, peer, module.params["peer_owner_id"])
    routes = empty_routes()
    if pcx is None:
        state = {"peering": {}, "routes": routes_state(sides, None)}
        return Outcome(False, state, state, dict(peering_id="", peering_connection={}, routes=routes))

    pcx_id = pcx["VpcPeeringConnectionId"]
    plans = {
        s.name: {t: {"add": [], "replace": [], "remove": routes_through(s.tables[t], pcx_id)} for t in s.table_ids}
        for s in sides
    }
    for s in sides:
        record(routes, s, plans[s.name])
    before = {
        "peering": peering_summary(pcx, describe_tags(module, local, pcx_id)),
        "routes": routes_state(sides, pcx_id),
    }
    after = {"peering": {}, "routes": {s.name: {t: [] for t in s.table_ids} for s in sides}}
    if not module.check_mode:
        for s in sides:
            apply_routes(module, s, plans[s.name], pcx_id)
        delete_peering(module, local if pcx["RequesterVpcInfo"]["VpcId"] == local.vpc_id else peer, pcx_id)
        wait_for_status(module, local, pcx_id, ("deleted", "rejected", "failed", "expired"), gone_ok=True)
    return Outcome(True, before, after, dict(peering_id=pcx_id, peering_connection=format_peering(pcx, {}), routes=routes))


def make_side(module: AnsibleAWSModule, name: str, client: Any, region: str, prefix: str) -> Side:
    """The side ``name`` from its options (``vpc_id`` or ``peer_vpc_id`` and so on), its tables read."""
    params = module.params
    cidrs_option = f"{prefix}destination_cidr_blocks"
    return Side(
        name,
        client,
        region,
        params[f"{prefix}vpc_id"],
        list(dict.fromkeys(params[f"{prefix}route_table_ids"])),
        normalize_cidrs(module, cidrs_option, params[cidrs_option]),
    )


def main() -> None:
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        vpc_id=dict(type="str", required=True),
        peer_vpc_id=dict(type="str", required=True),
        peer_region=dict(type="str"),
        peer_owner_id=dict(type="str"),
        route_table_ids=dict(type="list", elements="str", default=[]),
        destination_cidr_blocks=dict(type="list", elements="str", default=[]),
        peer_route_table_ids=dict(type="list", elements="str", default=[]),
        peer_destination_cidr_blocks=dict(type="list", elements="str", default=[]),
        allow_dns_resolution=dict(type="bool"),
        replace_blackhole_routes=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.params["wait_timeout"] < 0:
        module.fail_json(msg="wait_timeout must not be negative")

    region = module.region
    peer_region = module.params["peer_region"] or region
    retry = AWSRetry.jittered_backoff()
    local_client = module.client("ec2", retry_decorator=retry)
    peer_client = (
        local_client if peer_region == region else module.client("ec2", region=peer_region, retry_decorator=retry)
    )
    local = make_side(module, "local", local_client, region, "")
    peer = make_side(module, "peer", peer_client, peer_region, "peer_")
    for side in (local, peer):
        describe_route_tables(module, side)

    ensure = ensure_present if module.params["state"] == "present" else ensure_absent
    exit_with(module, ensure(module, local, peer))


if __name__ == "__main__":
    main()
