#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: elb_target_group_health_check
version_added: 0.1.0
short_description: Ensure the health check settings of an existing ELBv2 target group
description:
  - Sets whether health checks are enabled and how they are made on a target group that already
    exists (made by M(community.aws.elb_target_group), for example), changing only the settings given.
  - Fills a gap of M(community.aws.elb_target_group), which cannot set C(HealthCheckEnabled). AWS leaves
    health checks B(disabled) on target groups of type C(lambda) unless asked, so the load balancer
    never probes the function.
  - Does not create or delete target groups.
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  name:
    description:
      - Name of the target group.
      - Exactly one of O(name) and O(target_group_arn) is required.
    type: str
  target_group_arn:
    description:
      - ARN of the target group.
    type: str
  enabled:
    description:
      - Whether the load balancer runs health checks on the group's targets.
      - AWS refuses to disable them on target groups of types other than C(lambda).
    type: bool
    default: true
  path:
    description:
      - The destination of HTTP(S) health checks, such as C(/health).
    type: str
  protocol:
    description:
      - Protocol of the health checks. Leave unset for C(lambda) target groups.
    type: str
    choices: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE]
  interval:
    description:
      - Seconds between two health checks of a target (5-300). For C(lambda) targets it must be
        greater than O(timeout).
    type: int
  timeout:
    description:
      - Seconds without an answer after which a health check fails (2-120).
    type: int
  healthy_threshold_count:
    description:
      - Consecutive successes before an unhealthy target is healthy (2-10).
    type: int
  unhealthy_threshold_count:
    description:
      - Consecutive failures before a healthy target is unhealthy (2-10).
    type: int
  successful_response_codes:
    description:
      - HTTP codes that mean healthy, such as C(200), C(200,204) or C(200-299).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode (the health check settings before and after).
"""

EXAMPLES = r"""
- name: Ensure the Lambda target group exists
  community.aws.elb_target_group:
    name: tg-app-us-east-1-dev
    target_type: lambda
    state: present

- name: Ensure the load balancer checks the function's /health
  healthcare.dr.elb_target_group_health_check:
    name: tg-app-us-east-1-dev
    enabled: true
    path: /health
    interval: 35
    timeout: 30
"""

RETURN = r"""
target_group_arn:
  description: ARN of the target group.
  returned: always
  type: str
  sample: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-app-us-east-1-dev/49e9d65c45c6791a
health_check:
  description: The target group's health check settings after the task (before it, in check mode).
  returned: always
  type: dict
  contains:
    enabled:
      description: Whether health checks run.
      type: bool
      sample: true
    path:
      description: Health check path.
      type: str
      sample: /health
    protocol:
      description: Health check protocol.
      type: str
      sample: HTTP
    interval:
      description: Seconds between checks.
      type: int
      sample: 35
    timeout:
      description: Seconds before a check fails.
      type: int
      sample: 30
    healthy_threshold_count:
      description: Successes to become healthy.
      type: int
      sample: 5
    unhealthy_threshold_count:
      description: Failures to become unhealthy.
      type: int
      sample: 2
    successful_response_codes:
      description: HTTP codes that mean healthy.
      type: str
      sample: "200"
"""

from typing import Any, Dict, Optional

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with

# option -> the key of the setting in DescribeTargetGroups and ModifyTargetGroup
SETTINGS = {
    "enabled": "HealthCheckEnabled",
    "path": "HealthCheckPath",
    "protocol": "HealthCheckProtocol",
    "interval": "HealthCheckIntervalSeconds",
    "timeout": "HealthCheckTimeoutSeconds",
    "healthy_threshold_count": "HealthyThresholdCount",
    "unhealthy_threshold_count": "UnhealthyThresholdCount",
    "successful_response_codes": "Matcher",
}


def describe_target_group(client: Any, module: AnsibleAWSModule) -> Optional[Dict[str, Any]]:
    if module.params["target_group_arn"]:
        query = {"TargetGroupArns": [module.params["target_group_arn"]]}
        which = module.params["target_group_arn"]
    else:
        query = {"Names": [module.params["name"]]}
        which = module.params["name"]
    try:
        groups = client.describe_target_groups(aws_retry=True, **query)["TargetGroups"]
    except is_boto3_error_code("TargetGroupNotFound"):
        return None
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't describe target group {which}")
    return groups[0] if groups else None


def current_settings(target_group: Dict[str, Any]) -> Dict[str, Any]:
    """The health check settings in the module's terms."""
    settings = {}
    for option, key in SETTINGS.items():
        value = target_group.get(key)
        if option == "successful_response_codes":
            value = (value or {}).get("HttpCode")
        settings[option] = value
    return settings


def wanted_changes(current: Dict[str, Any], params: Dict[str, Any]) -> Dict[str, Any]:
    """The given options whose value differs from the target group's."""
    changes = {}
    for option in SETTINGS:
        wanted = params.get(option)
        if wanted is None:
            continue
        if option == "successful_response_codes":
            same = current[option] is not None and set(current[option].split(",")) == set(wanted.split(","))
        else:
            same = current[option] == wanted
        if not same:
            changes[option] = wanted
    return changes


def modify(client: Any, module: AnsibleAWSModule, arn: str, changes: Dict[str, Any]) -> Dict[str, Any]:
    request: Dict[str, Any] = {}
    for option, value in changes.items():
        if option == "successful_response_codes":
            request["Matcher"] = {"HttpCode": value}
        else:
            request[SETTINGS[option]] = value
    try:
        return client.modify_target_group(aws_retry=True, TargetGroupArn=arn, **request)["TargetGroups"][0]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't modify the health check of target group {arn}")


def main() -> None:
    argument_spec = dict(
        name=dict(type="str"),
        target_group_arn=dict(type="str"),
        enabled=dict(type="bool", default=True),
        path=dict(type="str"),
        protocol=dict(type="str", choices=["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"]),
        interval=dict(type="int"),
        timeout=dict(type="int"),
        healthy_threshold_count=dict(type="int"),
        unhealthy_threshold_count=dict(type="int"),
        successful_response_codes=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["name", "target_group_arn"]],
        required_one_of=[["name", "target_group_arn"]],
        supports_check_mode=True,
    )
    client = module.client("elbv2", retry_decorator=AWSRetry.jittered_backoff())

    target_group = describe_target_group(client, module)
    if target_group is None:
        module.fail_json(msg=f"Couldn't find target group {module.params['name'] or module.params['target_group_arn']}")
    arn = target_group["TargetGroupArn"]
    before = current_settings(target_group)
    changes = wanted_changes(before, module.params)

    after = dict(before, **changes)
    if changes and not module.check_mode:
        after = current_settings(modify(client, module, arn, changes))

    result = dict(target_group_arn=arn, health_check=before if module.check_mode else after)
    exit_with(module, Outcome(bool(changes), before, dict(before, **changes), result))


if __name__ == "__main__":
    main()
