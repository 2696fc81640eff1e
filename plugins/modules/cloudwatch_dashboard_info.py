#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudwatch_dashboard_info
version_added: 0.1.0
short_description: Read CloudWatch dashboards and their bodies
description:
  - List the CloudWatch dashboards of a region, all of them, those whose name starts with a prefix,
    or one by name, each with its body parsed.
  - A dashboard that does not exist is not an error; the list is empty.
options:
  name:
    description:
      - Return only the dashboard of this name.
      - Mutually exclusive with O(name_prefix).
    type: str
    aliases: [dashboard_name]
  name_prefix:
    description:
      - Return only the dashboards whose names start with this prefix.
    type: str
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Read the DR dashboard
  healthcare.dr.cloudwatch_dashboard_info:
    name: dashboard-dr-global-dev
    region: us-east-1
  register: dashboard

- name: List the stack's dashboards
  healthcare.dr.cloudwatch_dashboard_info:
    name_prefix: dashboard-dr-
"""

RETURN = r"""
dashboards:
  description: The dashboards found, by name.
  returned: always
  type: list
  elements: dict
  contains:
    dashboard_name:
      description: Name of the dashboard.
      type: str
      sample: dashboard-dr-global-dev
    dashboard_arn:
      description: ARN of the dashboard.
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/dashboard-dr-global-dev
    dashboard_body:
      description: The dashboard body, parsed; its keys are not converted to snake case.
      type: dict
      sample: {"widgets": []}
"""

from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.comparison import as_document


@AWSRetry.jittered_backoff()
def _list_dashboards(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return client.get_paginator("list_dashboards").paginate(**kwargs).build_full_result().get("DashboardEntries", [])


def list_names(module: AnsibleAWSModule, client: Any, prefix: str) -> list[str]:
    try:
        entries = _list_dashboards(client, **({"DashboardNamePrefix": prefix} if prefix else {}))
        return sorted(entry["DashboardName"] for entry in entries)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't list dashboards starting with {prefix!r}")


def describe(module: AnsibleAWSModule, client: Any, name: str) -> dict[str, Any] | None:
    try:
        found = client.get_dashboard(aws_retry=True, DashboardName=name)
    except is_boto3_error_code(["ResourceNotFound", "ResourceNotFoundException"]):
        return None
    except (BotoCoreError, ClientError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't describe dashboard {name}")
    return {
        "dashboard_name": found.get("DashboardName", name),
        "dashboard_arn": found.get("DashboardArn"),
        "dashboard_body": as_document(found.get("DashboardBody")),
    }


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", aliases=["dashboard_name"]),
        name_prefix=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("name", "name_prefix")],
        supports_check_mode=True,
    )
    client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())

    names = [module.params["name"]] if module.params["name"] else list_names(module, client, module.params["name_prefix"] or "")
    dashboards = [found for found in (describe(module, client, name) for name in names) if found]
    module.exit_json(changed=False, dashboards=dashboards)


if __name__ == "__main__":
    main()
