#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudwatch_dashboard
version_added: 0.1.0
short_description: Manage a CloudWatch dashboard whose body is given as a dict
description:
  - Create, update or delete an Amazon CloudWatch dashboard.
  - The dashboard body is given as a dictionary (or a JSON string) and compared
    semantically with the existing body, so that key order in the returned JSON
    never makes a second run report a change. The order of list items (widgets,
    metrics) is meaningful and does count.
  - CloudWatch dashboards are global within an account but stored per region; the
    dashboard is managed in the region the module is given.
options:
  name:
    description:
      - Name of the dashboard.
      - Up to 255 characters; letters, digits, V(-) and V(_).
    type: str
    required: true
    aliases: [dashboard_name]
  state:
    description:
      - V(present) creates the dashboard, or replaces its body when it differs.
      - V(absent) deletes it; deleting a missing dashboard is not an error.
    type: str
    choices: [present, absent]
    default: present
  body:
    description:
      - The dashboard body, as described in the CloudWatch Dashboard Body Structure
        reference (C(widgets), optional C(start), C(end), C(periodOverride), ...).
      - Required when O(state=present).
    type: dict
notes:
  - CloudWatch dashboards cannot carry tags, so this module takes none.
  - CloudWatch may accept a body and return validation warnings; they are returned as RV(validation_messages).
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the DR dashboard shows both regions' ALB requests
  healthcare.dr.cloudwatch_dashboard:
    name: dashboard-dr-global-dev
    region: us-east-1
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: ALB requests
            region: us-east-1
            stat: Sum
            period: 60
            metrics:
              - [AWS/ApplicationELB, RequestCount, LoadBalancer, app/alb-app-us-east-1-dev/0123456789abcdef]
              - [AWS/ApplicationELB, RequestCount, LoadBalancer, app/alb-app-us-west-2-dev/fedcba9876543210, {region: us-west-2}]

- name: Ensure the dashboard body comes from a template
  healthcare.dr.cloudwatch_dashboard:
    name: dashboard-dr-global-dev
    body: "{{ lookup('ansible.builtin.template', 'dashboard.json.j2') | from_json }}"

- name: Ensure the DR dashboard is gone
  healthcare.dr.cloudwatch_dashboard:
    name: dashboard-dr-global-dev
    state: absent
"""

RETURN = r"""
dashboard:
  description:
    - The dashboard as it is after the task; empty when O(state=absent).
    - In check mode, what the dashboard would be.
  returned: always
  type: dict
  contains:
    dashboard_name:
      description: Name of the dashboard.
      type: str
      returned: when the dashboard exists
      sample: dashboard-dr-global-dev
    dashboard_arn:
      description: ARN of the dashboard (absent in check mode before it is created).
      type: str
      returned: when the dashboard exists
      sample: arn:aws:cloudwatch::123456789012:dashboard/dashboard-dr-global-dev
    dashboard_body:
      description: The dashboard body, parsed; its keys are not converted to snake case.
      type: dict
      returned: when the dashboard exists
      sample: {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 3, "properties": {"markdown": "DR"}}]}
validation_messages:
  description: Warnings CloudWatch returned when it accepted the body (the body was stored).
  returned: when the body was written
  type: list
  elements: dict
  sample: [{"data_path": "/widgets/0/properties", "message": "Should NOT have additional properties"}]
"""

import json
from typing import Any
from typing import Optional

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.comparison import as_document
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import documents_differ
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


def describe_dashboard(module: AnsibleAWSModule, client: Any, name: str) -> Optional[dict[str, Any]]:
    """The dashboard in Ansible's shape (body parsed), or None when it does not exist."""
    try:
        found = client.get_dashboard(aws_retry=True, DashboardName=name)
    except is_boto3_error_code(["ResourceNotFound", "ResourceNotFoundException"]):
        return None
    except (BotoCoreError, ClientError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't describe dashboard {name}")
    return shape(found.get("DashboardName", name), found.get("DashboardArn"), as_document(found.get("DashboardBody")))


def shape(name: str, arn: Optional[str], body: dict[str, Any]) -> dict[str, Any]:
    """A dashboard result: metadata in snake case, the body left exactly as given."""
    result: dict[str, Any] = {"dashboard_name": name}
    if arn:
        result["dashboard_arn"] = arn
    result["dashboard_body"] = body
    return result


def put_dashboard(module: AnsibleAWSModule, client: Any, name: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Write the body; return CloudWatch's validation messages in snake case."""
    try:
        response = client.put_dashboard(aws_retry=True, DashboardName=name, DashboardBody=json.dumps(body))
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't put dashboard {name}")
    return [camel_dict_to_snake_dict(message) for message in response.get("DashboardValidationMessages", [])]


def delete_dashboard(module: AnsibleAWSModule, client: Any, name: str) -> None:
    """Delete the dashboard; one already gone is fine."""
    try:
        client.delete_dashboards(aws_retry=True, DashboardNames=[name])
    except is_boto3_error_code(["ResourceNotFound", "ResourceNotFoundException"]):
        return
    except (BotoCoreError, ClientError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't delete dashboard {name}")


def ensure_present(module: AnsibleAWSModule, client: Any, name: str, body: dict[str, Any]) -> Outcome:
    current = describe_dashboard(module, client, name)
    changed = current is None or documents_differ(current["dashboard_body"], body)
    before = current["dashboard_body"] if current else {}
    if not changed:
        return Outcome(False, before, body, {"dashboard": current})
    if module.check_mode:
        return Outcome(True, before, body, {"dashboard": shape(name, current["dashboard_arn"] if current else None, body)})
    messages = put_dashboard(module, client, name, body)
    dashboard = describe_dashboard(module, client, name) or shape(name, None, body)
    return Outcome(True, before, body, {"validation_messages": messages, "dashboard": dashboard})


def ensure_absent(module: AnsibleAWSModule, client: Any, name: str) -> Outcome:
    current = describe_dashboard(module, client, name)
    if current is not None and not module.check_mode:
        delete_dashboard(module, client, name)
    return Outcome(current is not None, current["dashboard_body"] if current else {}, {}, {"dashboard": {}})


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["dashboard_name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        body=dict(type="dict"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["body"])],
        supports_check_mode=True,
    )
    client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())
    name = module.params["name"]

    if module.params["state"] == "present":
        outcome = ensure_present(module, client, name, module.params["body"])
    else:
        outcome = ensure_absent(module, client, name)
    exit_with(module, outcome)


if __name__ == "__main__":
    main()
