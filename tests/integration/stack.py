"""Read back everything the stack creates in an emulator, by kind, so two stacks
can be compared and duplicates found.

``inventory(endpoint, regions)`` returns ``{kind: sorted list of identities}``
for every kind of ``plugins/module_utils/stack_inventory.py`` (the list the roles'
``verify_absent`` and destroy.yml check), read by its shared reader over the
whole emulator rather than one environment's tagged resources: an identity is
the resource's name (or its ``Name`` tag) and the region; a kind whose resources
have neither (EIPs, flow logs) lists one entry per resource with what identifies
it best. Two converges of the same inventory must give equal inventories; a name
listed twice is a duplicate.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from emulator import client  # tools/ (pytest.ini's pythonpath)

from ansible_collections.healthcare.dr.plugins.module_utils import stack_inventory

EMULATOR = Path(__file__).resolve().parents[2] / "tools" / "emulator.py"

REGIONS = ("us-east-1", "us-west-2")
MANAGED = [{"Name": "tag:ManagedBy", "Values": ["healthcare.dr"]}]


def emulator(port: int, command: str) -> None:
    """``tools/emulator.py <command>`` (start, reset, stop) for the emulator on ``port``."""
    subprocess.run([sys.executable, str(EMULATOR), command], env={**os.environ, "DR_EMULATOR_PORT": str(port)},
                   check=True, capture_output=True)  # fmt: skip


def _region_scope(endpoint: str, region: str) -> stack_inventory.Scope:
    """Everything in ``region``: the shared readers with no environment (untagged and stray resources too)."""
    clients: dict[str, object] = {}

    def _client(service: str):
        if service not in clients:
            clients[service] = client(endpoint, service, region)
        return clients[service]

    return stack_inventory.Scope(_client, region)


def inventory(endpoint: str, regions=REGIONS) -> dict[str, list[str]]:
    """Every kind of stack_inventory.KINDS (the roles' own list), each a sorted list of identities;
    a regional kind's identities are ``region/name``, a pair kind's are read once."""
    merged: dict[str, list[str]] = stack_inventory.read(_region_scope(endpoint, REGIONS[0]), sorted(stack_inventory.PAIR))
    regional = sorted(set(stack_inventory.KINDS) - stack_inventory.PAIR)
    for region in regions:
        for kind, names in stack_inventory.read(_region_scope(endpoint, region), regional).items():
            merged.setdefault(kind, []).extend(f"{region}/{name}" for name in names)
    return {kind: sorted(names) for kind, names in sorted(merged.items())}


def duplicates(stack: dict[str, list[str]]) -> dict[str, list[str]]:
    """Identities listed more than once, by kind (kinds counted by region only are skipped)."""
    counted_by_region = {"eip", "kms_key"}
    found = {}
    for kind, names in stack.items():
        if kind in counted_by_region:
            continue
        repeated = sorted(name for name, n in Counter(names).items() if n > 1)
        if repeated:
            found[kind] = repeated
    return found


def non_empty(stack: dict[str, list[str]]) -> dict[str, list[str]]:
    return {kind: names for kind, names in stack.items() if names}


def _regional_orphans(endpoint: str, region: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    ec2 = client(endpoint, "ec2", region)
    nat_allocations = {
        address.get("AllocationId")
        for gateway in ec2.describe_nat_gateways()["NatGateways"]
        if gateway["State"] not in ("deleted", "deleting", "failed")
        for address in gateway.get("NatGatewayAddresses", [])
    }
    out["eip_without_nat_gateway"] = [
        a.get("PublicIp", "") for a in ec2.describe_addresses()["Addresses"]
        if a.get("AllocationId") not in nat_allocations and not a.get("AssociationId")
    ]
    out["internet_gateway_without_vpc"] = [
        g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"] if not g.get("Attachments")
    ]
    # a second request for the same pair stays pending when its answer was lost and the first was accepted
    out["vpc_peering_not_active"] = [
        p["VpcPeeringConnectionId"] for p in ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]
        if p["Status"]["Code"] not in ("active", "deleted", "rejected", "failed", "expired")
    ]
    elb = client(endpoint, "elbv2", region)
    out["target_group_without_load_balancer"] = [
        t["TargetGroupName"] for t in elb.describe_target_groups()["TargetGroups"] if not t.get("LoadBalancerArns")
    ]
    functions = {f["FunctionName"] for f in client(endpoint, "lambda", region).list_functions()["Functions"]}
    out["log_group_without_function"] = [
        g["logGroupName"] for g in client(endpoint, "logs", region).describe_log_groups()["logGroups"]
        if g["logGroupName"].startswith("/aws/lambda/") and g["logGroupName"][len("/aws/lambda/") :] not in functions
    ]
    kms = client(endpoint, "kms", region)
    aliased = {a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    out["kms_key_without_alias"] = [
        k["KeyId"] for k in kms.list_keys()["Keys"]
        if k["KeyId"] not in aliased
        and kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
        and kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"].get("KeyManager") != "AWS"
    ]
    return {kind: [f"{region}/{name}" for name in names] for kind, names in out.items()}


def orphans(endpoint: str, regions=REGIONS) -> dict[str, list[str]]:
    """What a lost answer leaves behind when the retry makes a second one: an EIP without its NAT gateway, an
    internet gateway without its VPC, a peering request never accepted, a target group without its ALB, a log
    group without its function, a KMS key without its alias, a policy (or policy version) without its role. Only
    kinds that have some are listed."""
    found: dict[str, list[str]] = {}
    for region in regions:
        for kind, names in _regional_orphans(endpoint, region).items():
            found.setdefault(kind, []).extend(names)
    iam = client(endpoint, "iam")
    policies = iam.list_policies(Scope="Local")["Policies"]
    found["policy_without_role"] = [p["PolicyName"] for p in policies if not p.get("AttachmentCount")]
    found["policy_version_not_default"] = [
        f"{p['PolicyName']}:{v['VersionId']}"
        for p in policies
        for v in iam.list_policy_versions(PolicyArn=p["Arn"])["Versions"]
        if not v["IsDefaultVersion"]
    ]
    return {kind: sorted(names) for kind, names in found.items() if names}


def master_password(endpoint: str) -> str:
    """The Aurora master password the stack generated and keeps in Secrets Manager (to search outputs for it)."""
    secrets = client(endpoint, "secretsmanager")
    name = next(s["Name"] for s in secrets.list_secrets()["SecretList"] if s["Name"].startswith("aurora-master"))
    return secrets.get_secret_value(SecretId=name)["SecretString"]
