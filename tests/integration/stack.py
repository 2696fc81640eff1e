"""Read back everything the stack creates in an emulator, by kind, so two stacks
can be compared and duplicates found.

``inventory(endpoint, regions)`` returns ``{kind: sorted list of identities}``:
an identity is the resource's name (or its ``Name`` tag) and the region; a kind
whose resources have neither (EIPs, flow logs, routes) lists one entry per
resource with what identifies it best. Two converges of the same inventory
must give equal inventories; a name listed twice is a duplicate.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import boto3

EMULATOR = Path(__file__).resolve().parents[2] / "tools" / "emulator.py"

REGIONS = ("us-east-1", "us-west-2")
MANAGED = [{"Name": "tag:ManagedBy", "Values": ["healthcare.dr"]}]


def emulator(port: int, command: str) -> None:
    """``tools/emulator.py <command>`` (start, reset, stop) for the emulator on ``port``."""
    subprocess.run([sys.executable, str(EMULATOR), command], env={**os.environ, "DR_EMULATOR_PORT": str(port)},
                   check=True, capture_output=True)  # fmt: skip


def client(endpoint: str, service: str, region: str = "us-east-1"):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _name(tags) -> str:
    if isinstance(tags, dict):
        return tags.get("Name", "")
    return next((t["Value"] for t in tags or [] if t["Key"] == "Name"), "")


def _ec2(endpoint: str, region: str) -> dict[str, list[str]]:
    ec2 = client(endpoint, "ec2", region)
    vpcs = ec2.describe_vpcs(Filters=MANAGED)["Vpcs"]
    vpc_ids = [v["VpcId"] for v in vpcs]
    names = {v["VpcId"]: _name(v.get("Tags")) for v in vpcs}
    in_vpcs = [{"Name": "vpc-id", "Values": vpc_ids}] if vpc_ids else None
    out: dict[str, list[str]] = {"vpc": [names[v] for v in vpc_ids]}
    if not in_vpcs:
        return out
    out["subnet"] = [_name(s.get("Tags")) for s in ec2.describe_subnets(Filters=in_vpcs)["Subnets"]]
    out["nat_gateway"] = [
        _name(n.get("Tags")) or n["SubnetId"]
        for n in ec2.describe_nat_gateways(Filters=in_vpcs)["NatGateways"]
        if n["State"] not in ("deleted", "deleting", "failed")
    ]
    # moto stores EIP tags under another resource type: count them by region.
    out["eip"] = [region for _address in ec2.describe_addresses()["Addresses"]]
    out["internet_gateway"] = [
        _name(g.get("Tags")) for g in ec2.describe_internet_gateways()["InternetGateways"]
        if any(a["VpcId"] in vpc_ids for a in g.get("Attachments", []))
    ]
    out["security_group"] = [
        g["GroupName"] for g in ec2.describe_security_groups(Filters=in_vpcs)["SecurityGroups"]
        if g["GroupName"] != "default"
    ]
    out["route_table"] = [
        _name(t.get("Tags")) for t in ec2.describe_route_tables(Filters=in_vpcs)["RouteTables"]
        if not any(a.get("Main") for a in t.get("Associations", []))
    ]
    out["vpc_endpoint"] = [
        f"{names[e['VpcId']]}:{e['ServiceName']}" for e in ec2.describe_vpc_endpoints(Filters=in_vpcs)["VpcEndpoints"]
        if e["State"].lower() not in ("deleted", "deleting")
    ]
    out["flow_log"] = [
        f"{names.get(f['ResourceId'], f['ResourceId'])}" for f in ec2.describe_flow_logs()["FlowLogs"]
        if f["ResourceId"] in vpc_ids
    ]
    out["vpc_peering"] = [
        f"{names.get(p['RequesterVpcInfo']['VpcId'], '?')}>{p['AccepterVpcInfo']['VpcId'] in vpc_ids or 'peer'}"
        for p in ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]
        if p["Status"]["Code"] not in ("deleted", "rejected", "failed", "expired")
        and p["RequesterVpcInfo"]["VpcId"] in vpc_ids
    ]
    return out


def _regional(endpoint: str, region: str) -> dict[str, list[str]]:
    out = _ec2(endpoint, region)
    rds = client(endpoint, "rds", region)
    out["db_cluster"] = [c["DBClusterIdentifier"] for c in rds.describe_db_clusters()["DBClusters"]]
    out["db_instance"] = [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]]
    out["db_subnet_group"] = [g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]]
    out["db_cluster_parameter_group"] = [
        g["DBClusterParameterGroupName"]
        for g in rds.describe_db_cluster_parameter_groups()["DBClusterParameterGroups"]
        if not g["DBClusterParameterGroupName"].startswith("default.")
    ]
    kms = client(endpoint, "kms", region)
    out["kms_alias"] = [a["AliasName"] for a in kms.list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")]
    out["kms_key"] = [
        region for k in kms.list_keys()["Keys"]
        if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
        and kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"].get("KeyManager") != "AWS"
    ]
    out["secret"] = [s["Name"] for s in client(endpoint, "secretsmanager", region).list_secrets()["SecretList"]]
    out["lambda_function"] = [f["FunctionName"] for f in client(endpoint, "lambda", region).list_functions()["Functions"]]
    elb = client(endpoint, "elbv2", region)
    lbs = elb.describe_load_balancers()["LoadBalancers"]
    out["load_balancer"] = [lb["LoadBalancerName"] for lb in lbs]
    out["target_group"] = [t["TargetGroupName"] for t in elb.describe_target_groups()["TargetGroups"]]
    out["listener"] = [
        f"{lb['LoadBalancerName']}:{ls['Port']}"
        for lb in lbs
        for ls in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    ]
    events = client(endpoint, "events", region)
    out["event_bus"] = [b["Name"] for b in events.list_event_buses()["EventBuses"] if b["Name"] != "default"]
    out["event_rule"] = [
        f"{b}:{r['Name']}" for b in out["event_bus"] for r in events.list_rules(EventBusName=b)["Rules"]
    ]
    out["sqs_queue"] = [u.rsplit("/", 1)[-1] for u in client(endpoint, "sqs", region).list_queues().get("QueueUrls", [])]
    cloudwatch = client(endpoint, "cloudwatch", region)
    out["alarm"] = [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]]
    out["dashboard"] = [d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"]]
    out["sns_topic"] = [t["TopicArn"].rsplit(":", 1)[-1] for t in client(endpoint, "sns", region).list_topics()["Topics"]]
    out["log_group"] = [g["logGroupName"] for g in client(endpoint, "logs", region).describe_log_groups()["logGroups"]]
    return {kind: [f"{region}/{name}" for name in names] for kind, names in out.items()}


def _global(endpoint: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    out["bucket"] = [b["Name"] for b in client(endpoint, "s3").list_buckets()["Buckets"]]
    iam = client(endpoint, "iam")
    out["iam_role"] = [r["RoleName"] for r in iam.list_roles()["Roles"] if not r["Path"].startswith("/aws-service-role/")]
    out["iam_policy"] = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    route53 = client(endpoint, "route53")
    zones = route53.list_hosted_zones()["HostedZones"]
    out["hosted_zone"] = [z["Name"] for z in zones]
    out["record"] = [
        f"{r['Name']}:{r['Type']}:{r.get('SetIdentifier', '')}"
        for z in zones
        for r in route53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"]
        if r["Type"] not in ("NS", "SOA")
    ]
    checks = route53.list_health_checks()["HealthChecks"]
    names = {}
    if checks:
        for entry in route53.list_tags_for_resources(ResourceType="healthcheck", ResourceIds=[c["Id"] for c in checks])[
            "ResourceTagSets"
        ]:
            names[entry["ResourceId"]] = _name(entry.get("Tags"))
    out["health_check"] = [
        names.get(c["Id"]) or c["HealthCheckConfig"].get("FullyQualifiedDomainName", c["Id"]) for c in checks
    ]
    rds = client(endpoint, "rds")
    out["global_cluster"] = [g["GlobalClusterIdentifier"] for g in rds.describe_global_clusters()["GlobalClusters"]]
    return out


def inventory(endpoint: str, regions=REGIONS) -> dict[str, list[str]]:
    """Every kind of resource the stack makes, by kind, each a sorted list of identities."""
    merged: dict[str, list[str]] = _global(endpoint)
    for region in regions:
        for kind, names in _regional(endpoint, region).items():
            merged.setdefault(kind, []).extend(names)
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
    """What a lost answer leaves behind when the retry makes a second one: an EIP without its NAT gateway, a
    target group without its ALB, a log group without its function, a KMS key without its alias, a policy
    (or policy version) without its role. Only kinds that have some are listed."""
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
