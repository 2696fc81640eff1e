#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: eventbridge_bus
short_description: Manage an Amazon EventBridge custom event bus and its resource policy
version_added: 0.1.0
description:
  - Creates or deletes a custom EventBridge event bus.
  - Sets the bus's resource-based policy exactly to O(policy). Policies are compared
    semantically (statement order, key order, single item versus list and account ID
    versus C(arn:aws:iam::<account>:root) principals do not count as differences),
    so a second run with the same policy reports no change.
  - Manages the bus's tags.
  - The C(default) bus cannot be created or deleted; use another name.
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  name:
    description:
      - Name of the event bus.
    type: str
    required: true
  state:
    description:
      - V(present) creates the bus (and sets its policy and tags); V(absent) deletes it,
        with its policy. Deleting a bus that does not exist is not an error.
      - Rules still on the bus must be removed first (see M(healthcare.dr.eventbridge_rule)).
    type: str
    choices: [present, absent]
    default: present
  policy:
    description:
      - The resource-based policy the bus must have, as a dict or a JSON string.
      - Every statement needs a C(Sid); EventBridge identifies statements by it.
      - When omitted, the bus's policy is left as it is. An empty dict (V({})) removes
        any policy from the bus.
    type: json
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the standby bus exists
  healthcare.dr.eventbridge_bus:
    name: events-bus-us-west-2-dev
    region: us-west-2
    tags:
      Project: healthcare-dr
  register: dr_bus

- name: Ensure the standby bus accepts PutEvents only from the primary account
  healthcare.dr.eventbridge_bus:
    name: events-bus-us-west-2-dev
    region: us-west-2
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: AllowPrimaryAccountPutEvents
          Effect: Allow
          Principal:
            AWS: "arn:aws:iam::123456789012:root"
          Action: events:PutEvents
          Resource: "{{ dr_bus.event_bus.arn }}"
          Condition:
            StringEquals:
              events:source: healthcare.application

- name: Remove every statement from the bus policy
  healthcare.dr.eventbridge_bus:
    name: events-bus-us-west-2-dev
    region: us-west-2
    policy: {}

- name: Ensure the bus is gone
  healthcare.dr.eventbridge_bus:
    name: events-bus-us-west-2-dev
    region: us-west-2
    state: absent
"""

RETURN = r"""
event_bus:
  description: The bus as it is after the task (or would be, in check mode). Empty when O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the bus.
      type: str
      returned: when the bus exists
      sample: events-bus-us-west-2-dev
    arn:
      description: ARN of the bus. Empty in check mode when the bus would be created.
      type: str
      returned: when the bus exists
      sample: arn:aws:events:us-west-2:123456789012:event-bus/events-bus-us-west-2-dev
    policy:
      description: The bus's resource policy as a dict; V({}) when it has none.
      type: dict
      returned: when the bus exists
      sample: {"Version": "2012-10-17", "Statement": [{"Sid": "AllowPrimaryAccountPutEvents", "Effect": "Allow"}]}
    tags:
      description: Tags of the bus.
      type: dict
      returned: when the bus exists
      sample: {"Project": "healthcare-dr"}
"""

import json
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import as_document
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import policies_differ
from ansible_collections.healthcare.dr.plugins.module_utils.eventbridge import get_tags
from ansible_collections.healthcare.dr.plugins.module_utils.eventbridge import sync_resource_tags
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tags_after

NOT_FOUND = ("ResourceNotFoundException",)


def describe_bus(module: AnsibleAWSModule, client: Any, name: str) -> dict[str, Any] | None:
    """The bus (Name, Arn, Policy as a dict, Tags) or None when it does not exist."""
    bus = aws_call(module, f"Couldn't describe event bus {name}", client.describe_event_bus, NOT_FOUND, Name=name)
    if bus is None:
        return None
    return {
        "name": bus["Name"],
        "arn": bus["Arn"],
        "policy": as_document(bus.get("Policy")) or {},
        "tags": get_tags(module, client, bus["Arn"]),
    }


def statement_ids(policy: dict[str, Any]) -> list[str]:
    """Sids of a policy's statements (a single statement may be given as a dict)."""
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    return [statement.get("Sid") for statement in statements]


def validate_policy(module: AnsibleAWSModule, policy: Any) -> dict[str, Any]:
    """The wanted policy as a dict; fails on a shape EventBridge would refuse."""
    try:
        document = as_document(policy)
    except ValueError as e:
        module.fail_json(msg=f"policy is not valid JSON: {e}")
    if not isinstance(document, dict):
        module.fail_json(msg="policy must be a JSON object (a dict)")
    if document and "Statement" not in document:
        module.fail_json(msg="policy needs a Statement (or be {} to remove the policy)")
    if document and not all(statement_ids(document)):
        module.fail_json(msg="every statement of policy needs a Sid: EventBridge identifies statements by it")
    return document


def create_bus(module: AnsibleAWSModule, client: Any, name: str) -> None:
    aws_call(module, f"Couldn't create event bus {name}", client.create_event_bus, Name=name)


def delete_bus(module: AnsibleAWSModule, client: Any, name: str) -> None:
    aws_call(module, f"Couldn't delete event bus {name}", client.delete_event_bus, NOT_FOUND, Name=name)


def remove_policy(module: AnsibleAWSModule, client: Any, name: str) -> None:
    msg = f"Couldn't remove the policy of event bus {name}"
    aws_call(module, msg, client.remove_permission, NOT_FOUND, EventBusName=name, RemoveAllPermissions=True)


def put_policy(module: AnsibleAWSModule, client: Any, name: str, policy: dict[str, Any]) -> None:
    """Make the bus's policy exactly ``policy``.

    AWS's PutPermission with a Policy replaces the whole policy. Some
    implementations (moto) merge it into the existing statements instead, so
    statements whose Sid is not wanted are removed afterwards; on AWS there are
    none left to remove and no extra call is made.
    """
    msg = f"Couldn't put the policy of event bus {name}"
    aws_call(module, msg, client.put_permission, EventBusName=name, Policy=json.dumps(policy))
    current = describe_bus(module, client, name) or {}
    wanted_sids = set(statement_ids(policy))
    for sid in statement_ids(current.get("policy") or {}):
        if sid in wanted_sids:
            continue
        msg = f"Couldn't remove statement {sid} from the policy of event bus {name}"
        aws_call(module, msg, client.remove_permission, NOT_FOUND, EventBusName=name, StatementId=sid)


# --- states: plan (what is and what is wanted), predict (check mode), apply ---------------------


def plan_present(module: AnsibleAWSModule, client: Any) -> dict[str, Any]:
    """The bus as it is (``before``, None when missing) and as it will be (``after``), and what differs."""
    name = module.params["name"]
    wanted_policy = None if module.params["policy"] is None else validate_policy(module, module.params["policy"])
    before = describe_bus(module, client, name)
    current = before or {"name": name, "arn": "", "policy": {}, "tags": {}}
    policy_changes = wanted_policy is not None and policies_differ(current["policy"], wanted_policy)
    after = {
        "name": name,
        "arn": current["arn"],
        "policy": wanted_policy if policy_changes else current["policy"],
        "tags": tags_after(current["tags"], module.params["tags"], module.params["purge_tags"]),
    }
    return {
        "before": before,
        "current": current,
        "after": after,
        "policy": wanted_policy if policy_changes else None,
        "changed": before is None or policy_changes or after["tags"] != current["tags"],
    }


def apply_present(module: AnsibleAWSModule, client: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """Create the bus if missing, then set its policy and tags; the bus as read back."""
    name = module.params["name"]
    current = plan["current"]
    if plan["before"] is None:
        create_bus(module, client, name)
        current = describe_bus(module, client, name)
        if current is None:
            module.fail_json(msg=f"Event bus {name} was created but cannot be described")
    if plan["policy"] is not None:
        if plan["policy"]:
            put_policy(module, client, name, plan["policy"])
        else:
            remove_policy(module, client, name)
    sync_resource_tags(
        module, client, current["arn"], current["tags"], module.params["tags"], module.params["purge_tags"]
    )
    return describe_bus(module, client, name) or {}


def ensure_present(module: AnsibleAWSModule, client: Any) -> Outcome:
    plan = plan_present(module, client)
    before = plan["before"] or {}
    if module.check_mode or not plan["changed"]:
        return Outcome(plan["changed"], before, plan["after"], {"event_bus": plan["after"]})
    after = apply_present(module, client, plan)
    return Outcome(True, before, after, {"event_bus": after})


def ensure_absent(module: AnsibleAWSModule, client: Any) -> Outcome:
    name = module.params["name"]
    before = describe_bus(module, client, name)
    if before is None:
        return Outcome(False, {}, {}, {"event_bus": {}})
    if not module.check_mode:
        delete_bus(module, client, name)
    return Outcome(True, before, {}, {"event_bus": {}})


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        policy=dict(type="json"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.params["name"] == "default":
        module.fail_json(msg="The default event bus cannot be managed by this module; give a custom bus name")

    client = module.client("events", retry_decorator=AWSRetry.jittered_backoff())
    ensure = ensure_present if module.params["state"] == "present" else ensure_absent
    exit_with(module, ensure(module, client))


if __name__ == "__main__":
    main()
