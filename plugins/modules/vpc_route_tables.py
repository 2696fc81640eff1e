#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: vpc_route_tables
short_description: Ensure several route tables of one VPC, with their tags, routes and subnets, in one call
version_added: 0.1.0
description:
  - Ensures that each table of O(route_tables) exists in O(vpc_id), found by its C(Name) tag (O(route_tables[].name)),
    with its tags, the routes it lists and exactly the subnets it lists associated with it.
  - One read of the VPC's route tables decides every change; every input error, and every listed route that would
    have to replace the VPC's own C(local) route, fails the task in one line before anything is written.
  - Routes are never purged. A listed route is created, or replaced when its destination goes to another target;
    every other route of the table (the C(local) route, routes of VPC endpoints, routes through peering connections
    managed by M(healthcare.dr.vpc_peering_routes)) is left alone. This is
    O(amazon.aws.ec2_vpc_route_table#module:purge_routes=false).
  - A listed subnet associated with another route table of the VPC is moved to this one (its association is
    replaced, so the subnet is never left on the main table); a subnet associated with this table but not listed is
    disassociated (it falls back to the VPC's main table). Without O(route_tables[].subnets), the table's
    associations are left alone.
  - Unlike M(amazon.aws.ec2_vpc_route_table), nothing pauses after a change. A table just created is awaited until
    EC2 describes it (AWS is eventually consistent) before its routes and subnets are written; after the writes the
    tables are read back and returned.
  - There is no C(state) option, the module only ensures that tables are present. Delete a table with
    M(amazon.aws.ec2_vpc_route_table) and O(amazon.aws.ec2_vpc_route_table#module:state=absent).
options:
  vpc_id:
    description:
      - ID of the VPC whose route tables are ensured.
    type: str
    required: true
  route_tables:
    description:
      - The route tables to ensure; other route tables of the VPC are left alone, but for subnets moved from them.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The table's C(Name) tag, the key it is found by. Two tables of O(route_tables) cannot have the same name,
            and a name must not be the C(Name) of two tables of the VPC.
        type: str
        required: true
      tags:
        description:
          - The table's own tags, merged over O(tags). A C(Name) key here must equal O(route_tables[].name).
        type: dict
      subnets:
        description:
          - IDs of the subnets (of O(vpc_id)) that are associated with this table, and only those.
          - A subnet may be listed for one table only.
          - When not set, the table's subnet associations are left as they are.
        type: list
        elements: str
      routes:
        description:
          - Routes the table has. Each gives O(route_tables[].routes[].dest) and exactly one target.
        type: list
        elements: dict
        default: []
        suboptions:
          dest:
            description:
              - Destination, an IPv4 or IPv6 CIDR without host bits. One route per destination and table.
            type: str
            required: true
          gateway_id:
            description:
              - An internet gateway or virtual private gateway. A value starting with C(nat-) is taken as
                O(route_tables[].routes[].nat_gateway_id), as M(amazon.aws.ec2_vpc_route_table) does.
            type: str
          nat_gateway_id:
            description:
              - A NAT gateway.
            type: str
          transit_gateway_id:
            description:
              - A transit gateway.
            type: str
          network_interface_id:
            description:
              - A network interface.
            type: str
          vpc_peering_connection_id:
            description:
              - A VPC peering connection. Prefer M(healthcare.dr.vpc_peering_routes), which also removes the routes
                through a peering connection that are no longer wanted.
            type: str
  tags:
    description:
      - Tags given to every table of O(route_tables), under each table's own O(route_tables[].tags). A C(Name) key
        here must equal the name of every table (so, in practice, leave it out).
      - When neither O(tags) nor O(route_tables[].tags) is set for a table, only its C(Name) tag is ensured and its
        other tags are left alone, whatever O(purge_tags) says.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description:
      - Whether tags of a table that are neither in O(tags) nor in its O(route_tables[].tags) are removed.
      - Tag keys beginning with V(aws:) are reserved by AWS and never removed.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for a table just created to be described by EC2.
    type: int
    default: 60
notes:
  - Check mode predicts every change and writes nothing; RV(route_tables) are then the tables as they would be
    (a table to be created has an empty RV(route_tables[].id)).
  - With C(--diff), the before and after states list, per table name, its ID, tags, associated subnets and
    routes (destination to target).
  - A run that changes nothing reads the VPC's route tables once, and its subnets only when a listed subnet is
    associated with no route table of the VPC.
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the VPC's public and private route tables
  healthcare.dr.vpc_route_tables:
    vpc_id: vpc-0123456789abcdef0
    tags:
      Project: healthcare-dr
      Environment: dev
    route_tables:
      - name: rtb-public-us-east-1-dev
        tags: {Tier: public}
        subnets: [subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2]
        routes:
          - dest: 0.0.0.0/0
            gateway_id: igw-0123456789abcdef0
      - name: rtb-app-1-us-east-1-dev
        tags: {Tier: app}
        subnets: [subnet-0bbbbbbbbbbbbbbb1]
        routes:
          - dest: 0.0.0.0/0
            nat_gateway_id: nat-0123456789abcdef0
      - name: rtb-db-us-east-1-dev
        tags: {Tier: db}
        subnets: [subnet-0ccccccccccccccc1, subnet-0ccccccccccccccc2]
  register: tables

- name: Show each table's ID
  ansible.builtin.debug:
    msg: "{{ tables.route_tables | items2dict(key_name='name', value_name='id') }}"
"""

RETURN = r"""
route_tables:
  description:
    - The tables of O(route_tables), in the order given, as read back after the changes (as predicted in check mode).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the route table; empty for a table to be created in check mode.
      type: str
      sample: rtb-0123456789abcdef0
    name:
      description: The table's C(Name) tag.
      type: str
      sample: rtb-public-us-east-1-dev
    tags:
      description: All tags of the table.
      type: dict
      sample: {Name: rtb-public-us-east-1-dev, Tier: public, Project: healthcare-dr}
    subnets:
      description: IDs of the subnets associated with the table, sorted.
      type: list
      elements: str
      sample: [subnet-0aaaaaaaaaaaaaaa1, subnet-0aaaaaaaaaaaaaaa2]
    routes:
      description: Every route of the table (listed or not), snake_cased as EC2 describes them.
      type: list
      elements: dict
      sample:
        - {destination_cidr_block: 10.0.0.0/16, gateway_id: local, origin: CreateRouteTable, state: active}
        - {destination_cidr_block: 0.0.0.0/0, gateway_id: igw-0123456789abcdef0, origin: CreateRoute, state: active}
actions:
  description: What this run changed (would change, in check mode), one line each, in the order done.
  returned: always
  type: list
  elements: str
  sample:
    - create route table rtb-app-1-us-east-1-dev
    - route table rtb-public-us-east-1-dev - replace route to 0.0.0.0/0 (igw-0aaaaaaaaaaaaaaa1 -> igw-0123456789abcdef0)
    - subnet subnet-0bbbbbbbbbbbbbbb1 - move from rtb-0fedcba9876543210 to rtb-app-1-us-east-1-dev
"""

import ipaddress
from typing import Any, Dict, List, Optional

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
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import apply_tag_changes
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import ec2_tag_writers
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tag_changes
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import destination_key
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import paginate
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import route_destination
from ansible_collections.healthcare.dr.plugins.module_utils.vpc import route_target
from ansible_collections.healthcare.dr.plugins.module_utils.waiting import wait_for

# Route options (targets) and the EC2 key each is given and described under.
TARGET_OPTIONS = {
    "gateway_id": "GatewayId",
    "nat_gateway_id": "NatGatewayId",
    "transit_gateway_id": "TransitGatewayId",
    "network_interface_id": "NetworkInterfaceId",
    "vpc_peering_connection_id": "VpcPeeringConnectionId",
}
LIVE_ASSOCIATION_STATES = ("associated", "associating")


class Table:
    """A route table as this module reasons about it: known (``id``) or to be created (``id`` empty)."""

    def __init__(self, name: str, table_id: str = "", tags: Optional[Dict[str, str]] = None) -> None:
        self.name = name
        self.id = table_id
        self.tags: Dict[str, str] = dict(tags or {})
        self.routes: List[Dict[str, Any]] = []
        # Subnet ID -> association ID ("" for one still to be made in check mode).
        self.subnets: Dict[str, str] = {}
        self.main = False

    @classmethod
    def from_aws(cls, described: Dict[str, Any]) -> "Table":
        tags = boto3_tag_list_to_ansible_dict(described.get("Tags", []))
        table = cls(tags.get("Name", ""), described["RouteTableId"], tags)
        table.routes = list(described.get("Routes", []))
        for association in described.get("Associations", []):
            table.main = table.main or bool(association.get("Main"))
            state = association.get("AssociationState", {}).get("State", "associated")
            if association.get("SubnetId") and not association.get("Main") and state in LIVE_ASSOCIATION_STATES:
                table.subnets[association["SubnetId"]] = association["RouteTableAssociationId"]
        return table

    def label(self) -> str:
        return self.id or self.name

    def route_to(self, destination: str) -> Optional[Dict[str, Any]]:
        return next((r for r in self.routes if route_destination(r) == destination), None)

    def summary(self) -> Dict[str, Any]:
        """The table in the diff's terms: ID, tags, subnets, destination -> target."""
        return {
            "id": self.id,
            "tags": dict(sorted(self.tags.items())),
            "subnets": sorted(self.subnets),
            "routes": {
                route_destination(r) or r.get("DestinationPrefixListId", "?"): route_target(r) for r in self.routes
            },
        }

    def result(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "tags": dict(self.tags),
            "subnets": sorted(self.subnets),
            "routes": [camel_dict_to_snake_dict(r) for r in self.routes],
        }


# --- Input (no AWS calls) ----------------------------------------------------


def wanted_tags(module: AnsibleAWSModule, spec: Dict[str, Any]) -> Optional[Dict[str, str]]:
    """All tags ``spec``'s table must have, or None when only its Name is managed."""
    common, own = module.params["tags"], spec["tags"]
    if common is None and own is None:
        return None
    return {**(common or {}), **(own or {}), "Name": spec["name"]}


def normalize_route(where: str, route: Dict[str, Any], errors: List[str]) -> Optional[Dict[str, str]]:
    """``route`` as {"dest", "key", "target"}; an error appended (and None) when it is not one."""
    try:
        dest = str(ipaddress.ip_network(str(route["dest"]).strip(), strict=True))
    except ValueError as e:
        errors.append(f"{where}: dest {route['dest']!r} is not a network CIDR ({e})")
        return None
    given = [option for option in TARGET_OPTIONS if route.get(option)]
    if len(given) != 1:
        errors.append(
            f"{where}: the route to {dest} needs exactly one of {', '.join(TARGET_OPTIONS)}, "
            + (f"got {' and '.join(given)}" if given else "got none")
        )
        return None
    option = given[0]
    target = route[option]
    key = TARGET_OPTIONS[option]
    if option == "gateway_id" and target.startswith("nat-"):
        key = "NatGatewayId"
    return {"dest": dest, "key": key, "target": target}


def validate(module: AnsibleAWSModule) -> List[Dict[str, Any]]:
    """The wanted tables, normalized; fails with every input error in one line."""
    errors: List[str] = []
    if module.params["wait_timeout"] < 0:
        errors.append("wait_timeout must not be negative")
    wanted: List[Dict[str, Any]] = []
    seen_names: Dict[str, int] = {}
    subnet_owner: Dict[str, str] = {}
    for index, spec in enumerate(module.params["route_tables"]):
        name = (spec["name"] or "").strip()
        where = f"route_tables[{index}] ({name or 'no name'})"
        if not name:
            errors.append(f"route_tables[{index}]: name must not be empty")
            continue
        if name in seen_names:
            errors.append(f"{where}: name {name!r} is already route_tables[{seen_names[name]}]'s")
            continue
        seen_names[name] = index
        spec = dict(spec, name=name)
        for source, tags in (("tags", module.params["tags"]), (f"route_tables[{index}].tags", spec["tags"])):
            if tags and "Name" in tags and tags["Name"] != name:
                errors.append(f"{where}: {source} has Name {tags['Name']!r}; a table's Name is its name")
        routes: List[Dict[str, str]] = []
        for route in spec["routes"] or []:
            normalized = normalize_route(where, route, errors)
            if normalized is None:
                continue
            if any(r["dest"] == normalized["dest"] for r in routes):
                errors.append(f"{where}: more than one route to {normalized['dest']}")
                continue
            routes.append(normalized)
        subnets = None
        if spec["subnets"] is not None:
            subnets = list(dict.fromkeys(s.strip() for s in spec["subnets"]))
            for subnet in subnets:
                if subnet in subnet_owner:
                    errors.append(f"{where}: subnet {subnet} is also listed for {subnet_owner[subnet]}")
                subnet_owner[subnet] = name
        wanted.append({"name": name, "tags": wanted_tags(module, spec), "routes": routes, "subnets": subnets})
    if errors:
        module.fail_json(msg="; ".join(errors))
    return wanted


# --- AWS reads -----------------------------------------------------------------


def describe_vpc_tables(module: AnsibleAWSModule, client: Any, vpc_id: str) -> List[Table]:
    try:
        found = paginate(client, "describe_route_tables", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't describe the route tables of {vpc_id}")
    tables = [Table.from_aws(t) for t in found.get("RouteTables", []) if t.get("VpcId") == vpc_id]
    if not tables:
        # Every VPC has its main route table.
        module.fail_json(msg=f"VPC {vpc_id} not found: it has no route tables, not even its main one")
    return tables


def describe_tables_by_id(module: AnsibleAWSModule, client: Any, table_ids: List[str]) -> Optional[List[Table]]:
    """The tables ``table_ids``, or None while one of them is not described yet."""
    msg = f"Couldn't describe route tables {', '.join(table_ids)}"
    found = aws_call(module, msg, client.describe_route_tables, ("InvalidRouteTableID.NotFound",), RouteTableIds=table_ids)
    if found is None:
        return None
    by_id = {t["RouteTableId"]: t for t in found["RouteTables"]}
    if any(t not in by_id for t in table_ids):
        return None
    return [Table.from_aws(by_id[t]) for t in table_ids]


def check_subnets(module: AnsibleAWSModule, client: Any, vpc_id: str, subnet_ids: List[str]) -> None:
    """Fail unless every subnet of ``subnet_ids`` exists in ``vpc_id``."""
    if not subnet_ids:
        return
    try:
        found = paginate(client, "describe_subnets", Filters=[{"Name": "subnet-id", "Values": subnet_ids}])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't describe subnets {', '.join(subnet_ids)}")
    vpc_of = {s["SubnetId"]: s.get("VpcId") for s in found.get("Subnets", [])}
    missing = [s for s in subnet_ids if s not in vpc_of]
    elsewhere = [f"{s} (in {vpc_of[s]})" for s in subnet_ids if s in vpc_of and vpc_of[s] != vpc_id]
    problems = ([f"not found: {', '.join(missing)}"] if missing else []) + (
        [f"not in {vpc_id}: {', '.join(elsewhere)}"] if elsewhere else []
    )
    if problems:
        module.fail_json(msg=f"Subnets {'; '.join(problems)}")


# --- Plan: what to do, decided before any write -----------------------------------


def plan(module: AnsibleAWSModule, vpc_id: str, wanted: List[Dict[str, Any]], existing: List[Table]) -> Dict[str, Any]:
    """The actions that make ``existing`` what ``wanted`` says, and the tables they act on.

    Each action is a dict with ``kind`` and the table ``name`` it concerns;
    tables to be created are new ``Table`` objects without an ID. Conflicts
    (duplicate names in the VPC, a listed route over the local route) fail here.
    """
    by_name: Dict[str, List[Table]] = {}
    for table in existing:
        by_name.setdefault(table.name, []).append(table)
    errors: List[str] = []
    tables: Dict[str, Table] = {}
    actions: List[Dict[str, Any]] = []
    # A new table starts with the VPC's local routes, as every table of the VPC has them.
    main = next((t for t in existing if t.main), existing[0])
    local_routes = [r for r in main.routes if r.get("Origin") == "CreateRouteTable"]

    for spec in wanted:
        name = spec["name"]
        found = by_name.get(name, [])
        if len(found) > 1:
            errors.append(f"{len(found)} route tables of {vpc_id} are named {name} ({', '.join(t.id for t in found)})")
            continue
        if found:
            table = found[0]
            to_set, to_unset = tag_changes(
                table.tags, spec["tags"] or {"Name": name}, spec["tags"] is not None and module.params["purge_tags"]
            )
            if to_set or to_unset:
                actions.append({"kind": "tag", "name": name, "set": to_set, "unset": to_unset})
        else:
            table = Table(name)
            table.routes = [dict(r) for r in local_routes]
            actions.append({"kind": "create", "name": name, "tags": spec["tags"] or {"Name": name}})
        tables[name] = table
        for route in spec["routes"]:
            current = table.route_to(route["dest"])
            if current is None or current.get("Origin") == "EnableVgwRoutePropagation":
                actions.append({"kind": "create_route", "name": name, **route})
            elif current.get("Origin") == "CreateRouteTable":
                errors.append(
                    f"{table.label()} ({name}): {route['dest']} is the VPC's local route, it cannot go to {route['target']}"
                )
            elif route_target(current) != route["target"]:
                actions.append({"kind": "replace_route", "name": name, "was": route_target(current), **route})

    # Subnets: each listed one on its table, moved from wherever it is; unlisted ones off managed tables.
    where_now: Dict[str, Table] = {s: t for t in existing for s in t.subnets}
    claimed = {s: spec["name"] for spec in wanted if spec["subnets"] is not None for s in spec["subnets"]}
    unknown = [s for s in claimed if s not in where_now]
    for subnet, name in claimed.items():
        if name not in tables:
            continue
        now = where_now.get(subnet)
        if now is None:
            actions.append({"kind": "associate", "name": name, "subnet": subnet})
        elif now is not tables[name]:
            actions.append(
                {"kind": "move", "name": name, "subnet": subnet, "association": now.subnets[subnet], "from": now}
            )
    for spec in wanted:
        table = tables.get(spec["name"])
        if table is None or spec["subnets"] is None:
            continue
        for subnet, association in table.subnets.items():
            if subnet not in claimed:
                actions.append(
                    {"kind": "disassociate", "name": spec["name"], "subnet": subnet, "association": association}
                )

    if errors:
        module.fail_json(msg="; ".join(errors))
    # New tables first: every other action may need one of them.
    actions = [a for a in actions if a["kind"] == "create"] + [a for a in actions if a["kind"] != "create"]
    return {"tables": tables, "actions": actions, "unknown_subnets": unknown}


def describe_action(action: Dict[str, Any]) -> str:
    name, kind = action["name"], action["kind"]
    if kind == "create":
        return f"create route table {name}"
    if kind == "tag":
        parts = [f"set {', '.join(sorted(action['set']))}"] if action["set"] else []
        parts += [f"remove {', '.join(sorted(action['unset']))}"] if action["unset"] else []
        return f"route table {name} - tags: {'; '.join(parts)}"
    if kind == "create_route":
        return f"route table {name} - create route to {action['dest']} ({action['target']})"
    if kind == "replace_route":
        return f"route table {name} - replace route to {action['dest']} ({action['was']} -> {action['target']})"
    if kind == "associate":
        return f"subnet {action['subnet']} - associate with {name}"
    if kind == "move":
        source = action["from"]
        return f"subnet {action['subnet']} - move from {source.name or source.id} to {name}"
    return f"subnet {action['subnet']} - disassociate from {name}"


def apply_to_model(action: Dict[str, Any], tables: Dict[str, Table]) -> None:
    """Make ``tables`` what ``action`` makes them (check mode's prediction)."""
    table, kind = tables[action["name"]], action["kind"]
    if kind == "create":
        table.tags = dict(action["tags"])
    elif kind == "tag":
        table.tags = {k: v for k, v in table.tags.items() if k not in action["unset"]}
        table.tags.update(action["set"])
    elif kind in ("create_route", "replace_route"):
        table.routes = [r for r in table.routes if route_destination(r) != action["dest"]]
        table.routes.append(
            {
                destination_key(action["dest"]): action["dest"],
                action["key"]: action["target"],
                "Origin": "CreateRoute",
                "State": "active",
            }
        )
    elif kind == "associate":
        table.subnets[action["subnet"]] = ""
    elif kind == "move":
        action["from"].subnets.pop(action["subnet"], None)
        table.subnets[action["subnet"]] = ""
    else:
        table.subnets.pop(action["subnet"], None)


# --- AWS writes ----------------------------------------------------------------------


def create_table(module: AnsibleAWSModule, client: Any, vpc_id: str, table: Table, tags: Dict[str, str]) -> None:
    try:
        created = client.create_route_table(
            aws_retry=True, VpcId=vpc_id, TagSpecifications=boto3_tag_specifications(tags, types="route-table")
        )["RouteTable"]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't create route table {table.name} in {vpc_id}")
    table.id = created["RouteTableId"]


def execute(module: AnsibleAWSModule, client: Any, action: Dict[str, Any], tables: Dict[str, Table]) -> None:
    table, kind = tables[action["name"]], action["kind"]
    try:
        if kind == "tag":
            apply_tag_changes(action["set"], action["unset"], *ec2_tag_writers(client, table.id))
        elif kind in ("create_route", "replace_route"):
            call = client.create_route if kind == "create_route" else client.replace_route
            call(
                aws_retry=True,
                RouteTableId=table.id,
                **{destination_key(action["dest"]): action["dest"], action["key"]: action["target"]},
            )
        elif kind == "associate":
            client.associate_route_table(aws_retry=True, RouteTableId=table.id, SubnetId=action["subnet"])
        elif kind == "move":
            client.replace_route_table_association(
                aws_retry=True, AssociationId=action["association"], RouteTableId=table.id
            )
        else:
            client.disassociate_route_table(aws_retry=True, AssociationId=action["association"])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(
            e,
            msg=f"Couldn't {describe_action(action)} ({table.id or 'not created'} in {module.params['vpc_id']})",
        )


# --- The state ---------------------------------------------------------------------------


def wait_described(module: AnsibleAWSModule, client: Any, table_ids: List[str]) -> List[Table]:
    """The tables ``table_ids`` once AWS describes them all (a new table shows a moment after its creation)."""
    return wait_for(
        module,
        f"route tables {', '.join(table_ids)} to be described",
        lambda: describe_tables_by_id(module, client, table_ids),
        module.params["wait_timeout"],
        delay=1,
    )


def apply_actions(
    module: AnsibleAWSModule, client: Any, actions: List[Dict[str, Any]], tables: Dict[str, Table], names: List[str]
) -> Dict[str, Table]:
    """Create the new tables, then do every other action; the tables as read back."""
    vpc_id = module.params["vpc_id"]
    created = []
    for action in (a for a in actions if a["kind"] == "create"):
        create_table(module, client, vpc_id, tables[action["name"]], action["tags"])
        created.append(tables[action["name"]].id)
    if created:
        # Writes to a new table fail until AWS describes it.
        wait_described(module, client, created)
    for action in (a for a in actions if a["kind"] != "create"):
        execute(module, client, action, tables)
    read_back = dict(zip(names, wait_described(module, client, [tables[n].id for n in names])))
    for name, table in read_back.items():
        table.name = name  # even while AWS does not show a new table's Name tag yet
    return read_back


def ensure_present(module: AnsibleAWSModule, client: Any) -> Outcome:
    vpc_id = module.params["vpc_id"]
    wanted = validate(module)
    existing = describe_vpc_tables(module, client, vpc_id)
    decided = plan(module, vpc_id, wanted, existing)
    check_subnets(module, client, vpc_id, decided["unknown_subnets"])
    tables: Dict[str, Table] = decided["tables"]
    actions: List[Dict[str, Any]] = decided["actions"]
    names = [spec["name"] for spec in wanted]
    before = {n: tables[n].summary() for n in names if tables[n].id}
    lines = [describe_action(a) for a in actions]

    if module.check_mode or not actions:
        for action in actions:
            apply_to_model(action, tables)
    else:
        tables = apply_actions(module, client, actions, tables, names)
    after = {n: tables[n].summary() for n in names}
    result = dict(route_tables=[tables[n].result() for n in names], actions=lines)
    return Outcome(bool(actions), {"route_tables": before}, {"route_tables": after}, result)


def main() -> None:
    route_spec = dict(
        dest=dict(type="str", required=True),
        **{option: dict(type="str") for option in TARGET_OPTIONS},
    )
    table_spec = dict(
        name=dict(type="str", required=True),
        tags=dict(type="dict"),
        subnets=dict(type="list", elements="str"),
        routes=dict(type="list", elements="dict", default=[], options=route_spec),
    )
    argument_spec = dict(
        vpc_id=dict(type="str", required=True),
        route_tables=dict(type="list", elements="dict", required=True, options=table_spec),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=60),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())
    exit_with(module, ensure_present(module, client))


if __name__ == "__main__":
    main()
