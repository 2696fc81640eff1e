#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: stack_resources_info
version_added: 0.2.0
short_description: List what of the DR stack is in a region, by the roles that make it
description:
  - Read, in one region, every kind of resource the given roles of the collection make for one
    environment (VPCs, NAT gateways, clusters, buckets, keys not scheduled for deletion, roles, ...),
    each by its name.
  - The kinds, and which of their resources are each role's, are the collection's one inventory
    (C(plugins/module_utils/stack_inventory.py)); each role's C(verify_absent) entry point and
    C(destroy.yml) use this module, and the integration tests read the same kinds.
  - EC2 resources and KMS keys are found by the stack's C(ManagedBy) and C(Environment) tags; the
    others by the names the collection gives them.
  - Read-only; never reports a change.
options:
  roles:
    description:
      - The roles whose resources to look for.
    type: list
    elements: str
    choices: [network, aurora, lambda_alb, s3, eventbridge, dns_failover, monitoring, edge, audit]
    default: [network, aurora, lambda_alb, s3, eventbridge, dns_failover, monitoring, edge, audit]
  environment_suffix:
    description:
      - The environment, the last part of every resource name (C(dr_environment_suffix)).
    type: str
    required: true
  primary:
    description:
      - Whether this is the pair's primary region, which also holds the pair-wide resources of global
        services (the IAM roles, buckets, trail and distribution named C(global)).
    type: bool
    default: true
  account:
    description:
      - The account id bucket names end with.
      - Looked up with STS when a bucket is to be looked for and this is not given.
    type: str
  dns_failover_domain:
    description:
      - The failover zone's domain. Without it, hosted zones and their records are not looked for.
    type: str
  ignore_kinds:
    description:
      - Kinds still read and returned in RV(resources), but not counted in RV(left) nor by O(fail_if_left)
        (the buckets destroy keeps while they hold objects).
    type: list
    elements: str
    default: []
  fail_if_left:
    description:
      - Fail when anything is left, with one line naming each kind and what of it is left; what each
        role's C(verify_absent) entry point does.
    type: bool
    default: false
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Check that nothing of the application tier is left in the region
  healthcare.dr.stack_resources_info:
    roles: [lambda_alb]
    environment_suffix: dev
    primary: false
    region: us-west-2
    fail_if_left: true

- name: List the whole stack of the primary region
  healthcare.dr.stack_resources_info:
    environment_suffix: prod
    dns_failover_domain: prod.healthcare-dr.example.com
    region: us-east-1
  register: stack
"""

RETURN = r"""
resources:
  description: What was found, by kind; each kind of the roles is a key, its value the names found, sorted.
  returned: always
  type: dict
  sample: {"vpc": ["vpc-main-us-east-1-dev"], "nat_gateway": [], "kms_key": ["alias/kms-logs-us-east-1-dev"]}
roles:
  description: The same, by role then kind.
  returned: always
  type: dict
  sample: {"network": {"vpc": ["vpc-main-us-east-1-dev"], "nat_gateway": []}}
left:
  description: Whether anything was found, apart from O(ignore_kinds).
  returned: always
  type: bool
  sample: false
"""

from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils import stack_inventory

ROLES = list(stack_inventory.ROLES)


def find_account(module: AnsibleAWSModule) -> str:
    try:
        sts = module.client("sts", retry_decorator=AWSRetry.jittered_backoff())
        return sts.get_caller_identity(aws_retry=True)["Account"]
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg="Couldn't find the account the bucket names end with")


def merged(by_role: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
    """Every kind of every role, each with the names found (two roles may share a kind)."""
    resources: dict[str, set[str]] = {}
    for by_kind in by_role.values():
        for kind, names in by_kind.items():
            resources.setdefault(kind, set()).update(names)
    return {kind: sorted(names) for kind, names in sorted(resources.items())}


def left_message(roles: list[str], suffix: str, region: str, left: dict[str, list[str]]) -> str:
    """One line: what of the roles' kinds is left, kind by kind."""
    found = "; ".join(f"{kind} {', '.join(names)}" for kind, names in left.items())
    return f"{', '.join(roles)}: left of {suffix} in {region}: {found}"


def main() -> None:
    argument_spec = dict(
        roles=dict(type="list", elements="str", choices=ROLES, default=ROLES),
        environment_suffix=dict(type="str", required=True),
        primary=dict(type="bool", default=True),
        account=dict(type="str"),
        dns_failover_domain=dict(type="str"),
        ignore_kinds=dict(type="list", elements="str", default=[]),
        fail_if_left=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    roles = module.params["roles"]
    account = module.params["account"]
    if not account and stack_inventory.needs_account(roles):
        account = find_account(module)
    domain = (module.params["dns_failover_domain"] or "").rstrip(".") or None
    clients: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in clients:
            # The readers retry each call themselves (stack_inventory._call, _list).
            clients[service] = module.client(service, retry_decorator=AWSRetry.jittered_backoff())
        return clients[service]

    scope = stack_inventory.Scope(client, module.region, module.params["environment_suffix"])
    try:
        by_role = stack_inventory.role_resources(scope, roles, account, domain, module.params["primary"])
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't list the resources of {', '.join(roles)} in {module.region}")
    resources = merged(by_role)
    left = {kind: names for kind, names in resources.items() if names and kind not in module.params["ignore_kinds"]}
    if left and module.params["fail_if_left"]:
        suffix = module.params["environment_suffix"]
        module.fail_json(msg=left_message(roles, suffix, module.region, left), resources=resources, roles=by_role)
    module.exit_json(changed=False, resources=resources, roles=by_role, left=bool(left))


if __name__ == "__main__":
    main()
