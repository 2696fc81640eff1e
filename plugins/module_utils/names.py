# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""The one place the stack's resource names are made.

Every name follows ``{service}-{purpose}-{region}-{suffix}`` (``resource_name``).
``stack_names(region, suffix)`` returns the whole map for one region of the pair:
the roles, the playbooks, the molecule verifications and the Python tests all read
it (the ``healthcare.dr.stack_names`` filter in YAML), so renaming a resource is one
line of ``REGIONAL`` or ``GLOBAL``.

Names with a number or a role-chosen part in them (instance ``n``, subnet tier and
``n``, the bucket's purpose) are ``%``-patterns: ``names['aurora_instance'] % 2``,
in Jinja ``dr_names.aurora_instance | format(2)``. S3 bucket names are the map's
value followed by ``-<account id>`` (bucket names are global across accounts).
Load balancer and target group names are already fitted to ELB's 32 characters.

The map also holds the few names outside that rule (``OTHER``): the failover
record's default DNS names, the hosted zone of the suffix (``dns_failover_domain``)
and the record as a pattern filled with the zone in use (``dns_failover_record_name``,
so an inventory that sets the zone alone moves the record with it), and the ID of
the S3 replication rule into the region's bucket.
"""

from __future__ import annotations

import hashlib
import re

_PART = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A pattern's placeholders stand in for a part while checking it.
_PLACEHOLDER = re.compile(r"%[sd]")

ELB_NAME_LIMIT = 32

# key: (service, purpose) of the region's own resources.
REGIONAL = {
    # network
    "vpc": ("vpc", "main"),
    "internet_gateway": ("igw", "main"),
    "nat_gateway": ("nat", "main-%d"),
    "nat_eip": ("eip", "nat-%d"),
    "subnet": ("subnet", "%s-%d"),
    "route_table_public": ("rtb", "public"),
    "route_table_app": ("rtb", "app-%d"),
    "route_table_db": ("rtb", "db"),
    "security_group_default": ("sg", "default"),
    "security_group_alb": ("sg", "alb"),
    "security_group_lambda": ("sg", "lambda"),
    "security_group_aurora": ("sg", "aurora"),
    "s3_endpoint": ("vpce", "s3"),
    "flow_log": ("flowlog", "main"),
    "flow_log_role": ("iam", "flowlogs"),
    "logs_key": ("kms", "logs"),
    # aurora
    "aurora_cluster": ("aurora", "cluster"),
    "aurora_instance": ("aurora", "instance-%d"),
    "aurora_subnet_group": ("aurora", "subnets"),
    "aurora_parameter_group": ("aurora", "params"),
    "aurora_key": ("kms", "aurora"),
    # lambda_alb
    "lambda_function": ("lambda", "app"),
    "lambda_role": ("iam", "lambda"),
    "load_balancer": ("alb", "app"),
    "target_group": ("tg", "app"),
    "elb_invoke_permission": ("elb", "invoke"),
    # s3
    "bucket": ("s3", "%s"),
    "data_bucket": ("s3", "data"),
    "access_log_bucket": ("s3", "accesslogs"),
    "s3_key": ("kms", "s3"),
    # eventbridge
    "event_bus": ("events", "bus"),
    "event_rule": ("events", "forward"),
    "event_role": ("iam", "eventsforward"),
    "event_dlq": ("sqs", "eventsdlq"),
    "event_dlq_key": ("kms", "eventsdlq"),
    "event_verify_rule": ("events", "verify"),
    "event_verify_queue": ("sqs", "eventsverify"),
    # dns_failover
    "health_check": ("r53hc", "app"),
    # monitoring: the alarms, then the key of the alarm topic
    "health_check_alarm": ("alarm", "health-check"),
    "rds_cpu_alarm": ("alarm", "rds-cpu"),
    "rds_connections_alarm": ("alarm", "rds-connections"),
    "lambda_errors_alarm": ("alarm", "lambda-errors"),
    "lambda_throttles_alarm": ("alarm", "lambda-throttles"),
    "alb_unhealthy_hosts_alarm": ("alarm", "alb-unhealthy-hosts"),
    "replication_lag_alarm": ("alarm", "replication-lag"),
    "alarms_key": ("kms", "alarms"),
    # edge
    "web_acl": ("waf", "app"),
    # audit
    "config_recorder": ("config", "recorder"),
    "config_channel": ("config", "channel"),
}

# key: (service, purpose) of the pair's global resources (region part "global").
GLOBAL = {
    "peering": ("pcx", "main"),
    "aurora_global_cluster": ("aurora", "global"),
    "aurora_secret": ("aurora", "master"),
    "s3_replication_role": ("iam", "s3replication"),
    "hosted_zone": ("r53zone", "dr"),
    "alarms_topic": ("sns", "alarms"),
    "dashboard": ("dashboard", "dr"),
    "cloudfront_distribution": ("cf", "app"),
    "trail": ("trail", "audit"),
    "audit_bucket": ("s3", "audit"),
    "audit_log_bucket": ("s3", "auditlogs"),
    "config_role": ("iam", "config"),
    # the deployer and operator IAM policies' documents: policy, then number (playbooks/iam_policies.yml)
    "iam_policy": ("iam", "%s-%d"),
}

# key: names outside the rule; {region} and {suffix} are filled in, %s is the hosted zone in use.
OTHER = {
    "failover_domain": "{suffix}.healthcare-dr.example.com",
    "failover_record": "app.%s",
    "s3_replication_rule": "replicate-all-to-{region}",
}

# Names ELB holds to 32 characters.
ELB_NAMES = ("load_balancer", "target_group")


def resource_name(service: str, purpose: str, region: str, suffix: str) -> str:
    """Return ``{service}-{purpose}-{region}-{suffix}``, checking each part."""
    parts = {"service": service, "purpose": purpose, "region": region, "suffix": suffix}
    for label, value in parts.items():
        if not isinstance(value, str) or not _PART.match(_PLACEHOLDER.sub("x", value)):
            raise ValueError(
                f"resource_name: {label} {value!r} must be lower-case letters, digits and inner hyphens"
            )
    return "-".join(parts.values())


def elb_name(name: str) -> str:
    """``name`` if it fits in 32 characters, else a deterministic 32-character form."""
    if len(name) <= ELB_NAME_LIMIT:
        return name
    return re.sub(r"-+$", "", name[:23]) + "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def stack_names(region: str, suffix: str) -> dict[str, str]:
    """Every resource name of the stack in ``region`` (the pair's global ones and the names outside the rule) for ``suffix``."""
    names = {key: resource_name(service, purpose, region, suffix) for key, (service, purpose) in REGIONAL.items()}
    names.update(
        {key: resource_name(service, purpose, "global", suffix) for key, (service, purpose) in GLOBAL.items()}
    )
    for key in ELB_NAMES:
        names[key] = elb_name(names[key])
    names.update(
        {key: pattern.replace("{region}", region).replace("{suffix}", suffix) for key, pattern in OTHER.items()}
    )
    return names
