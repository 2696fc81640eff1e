# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""The one inventory of what the stack makes: kinds of resources, who makes them, how to read them.

``KINDS`` maps each kind (``vpc``, ``iam_role``, ``kms_key``...) to its reader, a
function of a :class:`Scope` that lists the kind's resources in one region by a
stable identity (the resource's name, its ``Name`` tag, or what identifies it
best). ``ROLES`` says which kinds each role makes and, for a kind several roles
share, which of its resources are the role's: patterns over the names of
``names.stack_names``. Three readers use it:

* the ``healthcare.dr.stack_resources_info`` module: each role's ``verify_absent``
  (what destroy.yml checks last) and ``playbooks/tasks/dr_stack_left.yml`` (what
  destroy.yml looks for first) read a role's kinds for one environment;
* ``tests/integration/stack.py`` reads every kind of ``KINDS`` with the scope
  ``everything`` (no environment): all of the emulator, untagged and
  unexpected resources too, so that duplicates and orphans show.

A kind is ``PAIR`` when its API is global (IAM, S3, Route 53, CloudFront) or the
stack makes it once for the pair: the tests read it once; a role's check reads
its pair-wide names (the ``GLOBAL`` ones of names.py) only for the primary region.
Each call is retried with backoff on throttling; a resource gone between a list
and a describe is skipped.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.names import GLOBAL
from ansible_collections.healthcare.dr.plugins.module_utils.names import stack_names

MANAGED_BY = "healthcare.dr"
LIVE_PEERING = ("initiating-request", "pending-acceptance", "provisioning", "active")
GONE_NAT = ("deleted", "deleting", "failed")
PENDING_DELETION = ("PendingDeletion", "PendingReplicaDeletion")
NOT_FOUND = [
    "NotFound",
    "ResourceNotFoundException",
    "NoSuchHostedZone",
    "NoSuchDistribution",
    "LoadBalancerNotFound",
    "NotFoundException",
]


class Scope:
    """One region's view: ``client(service)`` gives that region's boto3 client.

    ``suffix`` None is everything in the region (the tests' inventory); otherwise the
    readers that can ask the API for the stack's tags do (EC2, KMS), and the roles'
    patterns pick the environment's resources from the rest.
    """

    def __init__(self, client: Callable[[str], Any], region: str, suffix: str | None = None) -> None:
        self.client = client
        self.region = region
        self.suffix = suffix

    @property
    def everything(self) -> bool:
        return self.suffix is None

    def tag_filters(self) -> list[dict[str, Any]]:
        filters = [{"Name": "tag:ManagedBy", "Values": [MANAGED_BY]}]
        if self.suffix is not None:
            filters.append({"Name": "tag:Environment", "Values": [self.suffix]})
        return filters


@AWSRetry.jittered_backoff()
def _call(client: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
    return getattr(client, operation)(**kwargs)


@AWSRetry.jittered_backoff()
def _list(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    """Every item of a listing, page after page."""
    if client.can_paginate(operation):
        return client.get_paginator(operation).paginate(**kwargs).build_full_result().get(key, [])
    return getattr(client, operation)(**kwargs).get(key, [])


def _or_none(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(...)``, or None when what it reads is gone."""
    try:
        return function(*args, **kwargs)
    except is_boto3_error_code(NOT_FOUND):
        return None


def _name(tags: Any) -> str:
    if isinstance(tags, dict):
        return tags.get("Name", "")
    return next((t["Value"] for t in tags or [] if t.get("Key") == "Name"), "")


# --- EC2: the stack's VPCs (by tags) and what lives in them ----------------------------------------


def _vpcs(scope: Scope) -> dict[str, str]:
    """The stack's VPCs (tagged ManagedBy, and Environment unless everything): id to name."""
    vpcs = _list(scope.client("ec2"), "describe_vpcs", "Vpcs", Filters=scope.tag_filters())
    return {v["VpcId"]: _name(v.get("Tags")) or v["VpcId"] for v in vpcs}


def _in_vpcs(scope: Scope, operation: str, key: str) -> list[dict[str, Any]]:
    vpc_ids = list(_vpcs(scope))
    if not vpc_ids:
        return []
    return _list(scope.client("ec2"), operation, key, Filters=[{"Name": "vpc-id", "Values": vpc_ids}])


def read_vpc(scope: Scope) -> list[str]:
    return list(_vpcs(scope).values())


def read_subnet(scope: Scope) -> list[str]:
    return [_name(s.get("Tags")) or s["SubnetId"] for s in _in_vpcs(scope, "describe_subnets", "Subnets")]


def read_nat_gateway(scope: Scope) -> list[str]:
    return [
        _name(n.get("Tags")) or n["SubnetId"]
        for n in _in_vpcs(scope, "describe_nat_gateways", "NatGateways")
        if n["State"] not in GONE_NAT
    ]


def read_eip(scope: Scope) -> list[str]:
    """Elastic IPs have no name: each is listed as its region (moto keeps their tags apart,
    so the tests count every address of the region; a role's check, the stack's tagged ones)."""
    filters = {} if scope.everything else {"Filters": scope.tag_filters()}
    return [scope.region for _address in _call(scope.client("ec2"), "describe_addresses", **filters)["Addresses"]]


def read_internet_gateway(scope: Scope) -> list[str]:
    gateways = _list(scope.client("ec2"), "describe_internet_gateways", "InternetGateways",
                     **({} if scope.everything else {"Filters": scope.tag_filters()}))  # fmt: skip
    if scope.everything:
        vpc_ids = set(_vpcs(scope))
        gateways = [g for g in gateways if any(a["VpcId"] in vpc_ids for a in g.get("Attachments", []))]
    return [_name(g.get("Tags")) or g["InternetGatewayId"] for g in gateways]


def read_security_group(scope: Scope) -> list[str]:
    return [g["GroupName"] for g in _in_vpcs(scope, "describe_security_groups", "SecurityGroups") if g["GroupName"] != "default"]


def read_route_table(scope: Scope) -> list[str]:
    return [
        _name(t.get("Tags")) or t["RouteTableId"]
        for t in _in_vpcs(scope, "describe_route_tables", "RouteTables")
        if not any(a.get("Main") for a in t.get("Associations", []))
    ]


def read_vpc_endpoint(scope: Scope) -> list[str]:
    names = _vpcs(scope)
    return [
        f"{names.get(e['VpcId'], e['VpcId'])}:{e['ServiceName']}"
        for e in _in_vpcs(scope, "describe_vpc_endpoints", "VpcEndpoints")
        if e["State"].lower() not in ("deleted", "deleting")
    ]


def read_flow_log(scope: Scope) -> list[str]:
    names = _vpcs(scope)
    return [names[f["ResourceId"]] for f in _list(scope.client("ec2"), "describe_flow_logs", "FlowLogs") if f["ResourceId"] in names]


def read_vpc_peering(scope: Scope) -> list[str]:
    """Live peerings: those the region's managed VPCs asked for (everything), or those tagged for the stack."""
    names = _vpcs(scope)
    filters = {} if scope.everything else {"Filters": scope.tag_filters()}
    peerings = _list(scope.client("ec2"), "describe_vpc_peering_connections", "VpcPeeringConnections", **filters)
    return [
        f"{names.get(p['RequesterVpcInfo']['VpcId'], '?')}>{p['AccepterVpcInfo']['VpcId'] in names or 'peer'}"
        for p in peerings
        if p["Status"]["Code"] in LIVE_PEERING and (not scope.everything or p["RequesterVpcInfo"]["VpcId"] in names)
    ]


# --- The other regional services, listed whole: the roles' patterns pick the stack's ----------------


def read_db_cluster(scope: Scope) -> list[str]:
    return [c["DBClusterIdentifier"] for c in _list(scope.client("rds"), "describe_db_clusters", "DBClusters")]


def read_db_instance(scope: Scope) -> list[str]:
    return [i["DBInstanceIdentifier"] for i in _list(scope.client("rds"), "describe_db_instances", "DBInstances")]


def read_db_subnet_group(scope: Scope) -> list[str]:
    return [g["DBSubnetGroupName"] for g in _list(scope.client("rds"), "describe_db_subnet_groups", "DBSubnetGroups")]


def read_db_cluster_parameter_group(scope: Scope) -> list[str]:
    groups = _list(scope.client("rds"), "describe_db_cluster_parameter_groups", "DBClusterParameterGroups")
    return [g["DBClusterParameterGroupName"] for g in groups if not g["DBClusterParameterGroupName"].startswith("default.")]


def read_global_cluster(scope: Scope) -> list[str]:
    return [g["GlobalClusterIdentifier"] for g in _list(scope.client("rds"), "describe_global_clusters", "GlobalClusters")]


def _live_keys(scope: Scope) -> dict[str, dict[str, Any]]:
    """Customer keys not scheduled for deletion, by id (for a role's check, only those tagged for the stack)."""
    kms = scope.client("kms")
    keys = {}
    for key in _list(kms, "list_keys", "Keys"):
        described = _or_none(_call, kms, "describe_key", KeyId=key["KeyId"])
        if not described:
            continue
        metadata = described["KeyMetadata"]
        if metadata.get("KeyManager") == "AWS" or metadata["KeyState"] in PENDING_DELETION:
            continue
        if not scope.everything:
            tags = (_or_none(_call, kms, "list_resource_tags", KeyId=key["KeyId"]) or {}).get("Tags", [])
            tags = {t["TagKey"]: t["TagValue"] for t in tags}
            if tags.get("ManagedBy") != MANAGED_BY or tags.get("Environment") != scope.suffix:
                continue
        keys[key["KeyId"]] = metadata
    return keys


def _aliases(scope: Scope) -> list[dict[str, Any]]:
    return [a for a in _list(scope.client("kms"), "list_aliases", "Aliases") if not a["AliasName"].startswith("alias/aws/")]


def read_kms_key(scope: Scope) -> list[str]:
    """Live keys by their alias (by ARN when they have none)."""
    keys = _live_keys(scope)
    aliases = {}
    for alias in _aliases(scope):
        aliases.setdefault(alias.get("TargetKeyId"), alias["AliasName"])
    return [aliases.get(key_id) or metadata["Arn"] for key_id, metadata in keys.items()]


def read_kms_alias(scope: Scope) -> list[str]:
    """Every alias (everything: an alias stays with its key through its pending window); for a role's
    check, aliases of live keys only."""
    aliases = _aliases(scope)
    if scope.everything:
        return [a["AliasName"] for a in aliases]
    keys = _live_keys(scope)
    return [a["AliasName"] for a in aliases if a.get("TargetKeyId") in keys]


def read_secret(scope: Scope) -> list[str]:
    """Secrets not scheduled for deletion (list_secrets leaves those out)."""
    secrets = _list(scope.client("secretsmanager"), "list_secrets", "SecretList")
    return [s["Name"] for s in secrets if not s.get("DeletedDate")]


def read_lambda_function(scope: Scope) -> list[str]:
    return [f["FunctionName"] for f in _list(scope.client("lambda"), "list_functions", "Functions")]


def _load_balancers(scope: Scope) -> list[dict[str, Any]]:
    return _list(scope.client("elbv2"), "describe_load_balancers", "LoadBalancers")


def read_load_balancer(scope: Scope) -> list[str]:
    return [lb["LoadBalancerName"] for lb in _load_balancers(scope)]


def read_target_group(scope: Scope) -> list[str]:
    return [t["TargetGroupName"] for t in _list(scope.client("elbv2"), "describe_target_groups", "TargetGroups")]


def read_listener(scope: Scope) -> list[str]:
    elb = scope.client("elbv2")
    found = []
    for lb in _load_balancers(scope):
        listeners = _or_none(_list, elb, "describe_listeners", "Listeners", LoadBalancerArn=lb["LoadBalancerArn"]) or []
        found.extend(f"{lb['LoadBalancerName']}:{ls['Port']}" for ls in listeners)
    return found


def _event_buses(scope: Scope) -> list[str]:
    buses = _list(scope.client("events"), "list_event_buses", "EventBuses")
    return [b["Name"] for b in buses if b["Name"] != "default"]


def read_event_bus(scope: Scope) -> list[str]:
    return _event_buses(scope)


def read_event_rule(scope: Scope) -> list[str]:
    events = scope.client("events")
    found = []
    for bus in _event_buses(scope):
        rules = _or_none(_list, events, "list_rules", "Rules", EventBusName=bus) or []
        found.extend(f"{bus}:{r['Name']}" for r in rules)
    return found


def read_sqs_queue(scope: Scope) -> list[str]:
    return [url.rsplit("/", 1)[-1] for url in _list(scope.client("sqs"), "list_queues", "QueueUrls")]


def read_alarm(scope: Scope) -> list[str]:
    return [a["AlarmName"] for a in _list(scope.client("cloudwatch"), "describe_alarms", "MetricAlarms")]


def read_dashboard(scope: Scope) -> list[str]:
    return [d["DashboardName"] for d in _list(scope.client("cloudwatch"), "list_dashboards", "DashboardEntries")]


def read_sns_topic(scope: Scope) -> list[str]:
    return [t["TopicArn"].rsplit(":", 1)[-1] for t in _list(scope.client("sns"), "list_topics", "Topics")]


def read_log_group(scope: Scope) -> list[str]:
    return [g["logGroupName"] for g in _list(scope.client("logs"), "describe_log_groups", "logGroups")]


def read_web_acl(scope: Scope) -> list[str]:
    return [w["Name"] for w in _call(scope.client("wafv2"), "list_web_acls", Scope="REGIONAL").get("WebACLs", [])]


def read_config_recorder(scope: Scope) -> list[str]:
    recorders = _call(scope.client("config"), "describe_configuration_recorders")["ConfigurationRecorders"]
    return [r["name"] for r in recorders]


def read_config_channel(scope: Scope) -> list[str]:
    return [c["name"] for c in _call(scope.client("config"), "describe_delivery_channels")["DeliveryChannels"]]


# --- Kinds of the pair: global APIs, or made once for the pair ---------------------------------------


def read_bucket(scope: Scope) -> list[str]:
    return [b["Name"] for b in _call(scope.client("s3"), "list_buckets")["Buckets"]]


def read_iam_role(scope: Scope) -> list[str]:
    roles = _list(scope.client("iam"), "list_roles", "Roles")
    return [r["RoleName"] for r in roles if not r["Path"].startswith("/aws-service-role/")]


def read_iam_policy(scope: Scope) -> list[str]:
    return [p["PolicyName"] for p in _list(scope.client("iam"), "list_policies", "Policies", Scope="Local")]


def _hosted_zones(scope: Scope) -> list[dict[str, Any]]:
    return _list(scope.client("route53"), "list_hosted_zones", "HostedZones")


def read_hosted_zone(scope: Scope) -> list[str]:
    return [z["Name"] for z in _hosted_zones(scope)]


def read_record(scope: Scope) -> list[str]:
    """Records but NS and SOA, as ``zone name:record name:type:set identifier``."""
    route53 = scope.client("route53")
    found = []
    for zone in _hosted_zones(scope):
        records = _or_none(_list, route53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone["Id"]) or []
        found.extend(f"{zone['Name']}:{r['Name']}:{r['Type']}:{r.get('SetIdentifier', '')}"
                     for r in records if r["Type"] not in ("NS", "SOA"))  # fmt: skip
    return found


def read_health_check(scope: Scope) -> list[str]:
    """Health checks by their Name tag (by the domain they check when they have none)."""
    route53 = scope.client("route53")
    checks = _list(route53, "list_health_checks", "HealthChecks")
    names = {}
    for start in range(0, len(checks), 10):
        ids = [c["Id"] for c in checks[start : start + 10]]
        tag_sets = _call(route53, "list_tags_for_resources", ResourceType="healthcheck", ResourceIds=ids)["ResourceTagSets"]
        names.update({entry["ResourceId"]: _name(entry.get("Tags")) for entry in tag_sets})
    return [names.get(c["Id"]) or c["HealthCheckConfig"].get("FullyQualifiedDomainName", c["Id"]) for c in checks]


def read_cloudfront_distribution(scope: Scope) -> list[str]:
    """Distributions by their caller reference (which the edge role sets to the name)."""
    cloudfront = scope.client("cloudfront")
    summaries = _call(cloudfront, "list_distributions").get("DistributionList", {}).get("Items", [])
    found = []
    for summary in summaries:
        config = _or_none(_call, cloudfront, "get_distribution_config", Id=summary["Id"])
        if config:
            found.append(config["DistributionConfig"].get("CallerReference") or summary["Id"])
    return found


def read_trail(scope: Scope) -> list[str]:
    return [t["Name"] for t in _call(scope.client("cloudtrail"), "describe_trails", includeShadowTrails=False)["trailList"]]


# Every kind the stack makes (and iam_policy, which it never makes: read to catch strays), each with its reader.
KINDS: dict[str, Callable[[Scope], list[str]]] = {
    name[len("read_"):]: reader for name, reader in sorted(globals().items()) if name.startswith("read_") and callable(reader)
}
# Read once for the pair.
PAIR = frozenset({"bucket", "iam_role", "iam_policy", "hosted_zone", "record", "health_check", "global_cluster",
                  "cloudfront_distribution", "trail"})  # fmt: skip
# Kinds no role makes: only the tests' inventory reads them.
STRAYS = frozenset({"iam_policy"})

# What each role makes: kind -> patterns of the role's resources of that kind, or None when
# every resource of the kind the reader finds for the environment is the role's. In a pattern,
# {key} is a name of names.stack_names (its %d and %s stand for any number and part), {account}
# the account id, {domain} the failover zone's domain, {suffix} the environment; the rest is a
# regular expression, matched whole.
ROLES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "network": {
        "vpc": None,
        "subnet": None,
        "internet_gateway": None,
        "nat_gateway": None,
        "eip": None,
        "route_table": None,
        "security_group": None,
        "vpc_endpoint": None,
        "flow_log": None,
        "vpc_peering": None,
        "iam_role": ("{flow_log_role}",),
        "log_group": ("/healthcare-dr/vpc-flow-logs/{vpc}",),
        "kms_key": ("alias/{logs_key}",),
        "kms_alias": ("alias/{logs_key}",),
    },
    "aurora": {
        "global_cluster": ("{aurora_global_cluster}",),
        "db_cluster": ("{aurora_cluster}",),
        "db_instance": ("{aurora_instance}",),
        "db_subnet_group": ("{aurora_subnet_group}",),
        "db_cluster_parameter_group": ("{aurora_parameter_group}",),
        "secret": ("{aurora_secret}",),
        "kms_key": ("alias/{aurora_key}",),
        "kms_alias": ("alias/{aurora_key}",),
    },
    "lambda_alb": {
        "load_balancer": ("{load_balancer}",),
        "listener": ("{load_balancer}:[0-9]+",),
        "target_group": ("{target_group}",),
        "lambda_function": ("{lambda_function}",),
        "log_group": ("/aws/lambda/{lambda_function}",),
        "iam_role": ("{lambda_role}",),
    },
    "s3": {
        "bucket": ("{data_bucket}-{account}",),
        "kms_key": ("alias/{s3_key}",),
        "kms_alias": ("alias/{s3_key}",),
        "iam_role": ("{s3_replication_role}",),
    },
    "eventbridge": {
        "event_bus": ("{event_bus}",),
        "event_rule": ("{event_bus}:{event_rule}",),
        "iam_role": ("{event_role}",),
        "sqs_queue": ("{event_dlq}",),
        "kms_key": ("alias/{event_dlq_key}",),
        "kms_alias": ("alias/{event_dlq_key}",),
    },
    "dns_failover": {
        "hosted_zone": ("{domain}\\.",),
        "record": ("{domain}\\.:.*",),
        "health_check": ("{health_check}",),
    },
    "monitoring": {
        "dashboard": ("{dashboard}",),
        "alarm": ("alarm-.*-{suffix}",),
        "sns_topic": ("{alarms_topic}",),
        "kms_key": ("alias/{alarms_key}",),
        "kms_alias": ("alias/{alarms_key}",),
    },
    "edge": {
        "web_acl": ("{web_acl}",),
        "cloudfront_distribution": ("{cloudfront_distribution}",),
    },
    "audit": {
        "trail": ("{trail}",),
        "bucket": ("{audit_bucket}-{account}", "{audit_log_bucket}-{account}"),
        "iam_role": ("{config_role}",),
        "config_recorder": ("{config_recorder}",),
        "config_channel": ("{config_channel}",),
    },
}

_KEY = re.compile(r"\{([a-z0-9_]+)\}")


def _pattern(template: str, values: dict[str, str]) -> str | None:
    """The regular expression a role's pattern stands for, or None when it needs a value not given."""
    out = []
    position = 0
    for match in _KEY.finditer(template):
        value = values.get(match.group(1))
        if value is None:
            return None
        out.append(template[position : match.start()])
        out.append(re.escape(value).replace("%d", "[0-9]+").replace("%s", "[a-z0-9-]+"))
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def is_pair_wide(template: str) -> bool:
    """Whether a pattern names a resource of the pair (a GLOBAL name of names.py)."""
    return any(key in GLOBAL for key in _KEY.findall(template))


def role_patterns(role: str, kind: str, region: str, suffix: str, account: str | None = None,
                  domain: str | None = None, primary: bool = True) -> list[str] | None:  # fmt: skip
    """The regular expressions of ``role``'s resources of ``kind`` in ``region`` (None: all of them).

    For a PAIR kind the pair-wide names count only for the primary region; a pattern that
    needs an account or a domain not given is left out."""
    templates = ROLES[role][kind]
    if templates is None:
        return None
    values = {**stack_names(region, suffix), "suffix": suffix}
    values.update({k: v for k, v in (("account", account), ("domain", domain)) if v})
    return [
        pattern
        for template in templates
        if primary or kind not in PAIR or not is_pair_wide(template)
        for pattern in [_pattern(template, values)]
        if pattern is not None
    ]


def read(scope: Scope, kinds: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """Each kind's resources in the scope's region, each a sorted list."""
    return {kind: sorted(KINDS[kind](scope)) for kind in kinds}


def role_resources(scope: Scope, roles: list[str] | tuple[str, ...], account: str | None = None,
                   domain: str | None = None, primary: bool = True) -> dict[str, dict[str, list[str]]]:  # fmt: skip
    """What of each role of ``roles`` is in the scope's region for its environment: role -> kind -> names.

    Each kind is read once for all the roles asking for it; a kind none of whose patterns applies
    (a pair-wide name outside the primary region) is not read."""
    if scope.suffix is None:
        raise ValueError("role_resources: the scope needs an environment suffix")
    wanted: dict[str, dict[str, list[str] | None]] = {}
    for role in roles:
        for kind in ROLES[role]:
            patterns = role_patterns(role, kind, scope.region, scope.suffix, account, domain, primary)
            if patterns is None or patterns:
                wanted.setdefault(role, {})[kind] = patterns
    kinds = sorted({kind for by_kind in wanted.values() for kind in by_kind})
    found = read(scope, kinds)
    result: dict[str, dict[str, list[str]]] = {role: {} for role in roles}
    for role, by_kind in wanted.items():
        for kind, patterns in by_kind.items():
            result[role][kind] = [
                name for name in found[kind] if patterns is None or any(re.fullmatch(p, name) for p in patterns)
            ]
    return result


def needs_account(roles: list[str] | tuple[str, ...]) -> bool:
    return any("{account}" in t for role in roles for templates in ROLES[role].values() if templates for t in templates)
