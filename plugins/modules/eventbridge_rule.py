#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: eventbridge_rule
short_description: Manage an Amazon EventBridge rule and its targets on any event bus
version_added: 0.1.0
description:
  - Creates, updates or deletes an EventBridge rule with an event pattern on a named
    event bus (M(amazon.aws.cloudwatchevent_rule) only manages rules on the default bus).
  - Makes the rule's targets match O(targets) (ARN, role ARN, input, dead-letter queue,
    retry policy) and, with O(purge_targets=true), removes the targets it did not ask for.
  - Event patterns and target inputs are compared as JSON documents, so key order does
    not cause a change.
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  name:
    description:
      - Name of the rule.
    type: str
    required: true
  event_bus_name:
    description:
      - Name or ARN of the event bus the rule belongs to.
    type: str
    default: default
  state:
    description:
      - V(present) creates or updates the rule and its targets; V(absent) removes its
        targets and deletes it. Deleting a rule (or a rule on a bus) that does not exist
        is not an error.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description:
      - Whether the rule is V(ENABLED) or V(DISABLED).
    type: bool
    default: true
  description:
    description:
      - Description of the rule. When omitted, an existing description is kept.
    type: str
  event_pattern:
    description:
      - The event pattern, as a dict or a JSON string. Required when O(state=present).
    type: json
  targets:
    description:
      - The targets the rule must have. When omitted, the targets are left as they are.
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - Identifier of the target within the rule.
        type: str
        required: true
      arn:
        description:
          - ARN of the target (an event bus in another region or account, an SQS queue, ...).
        type: str
        required: true
      role_arn:
        description:
          - ARN of the IAM role EventBridge assumes to deliver to the target (needed for
            an event bus in another region or account).
        type: str
      input:
        description:
          - Constant JSON text passed to the target instead of the event.
        type: json
      input_path:
        description:
          - JSONPath of the part of the event passed to the target.
        type: str
      dead_letter_arn:
        description:
          - ARN of the SQS queue that receives events EventBridge could not deliver.
        type: str
      retry_policy:
        description:
          - How long and how often EventBridge retries a failed delivery. When omitted,
            AWS's default applies and an existing retry policy is not compared.
        type: dict
        suboptions:
          maximum_retry_attempts:
            description: Maximum number of retries (0-185).
            type: int
          maximum_event_age_in_seconds:
            description: Maximum age of an event before it is dropped or sent to the dead-letter queue (60-86400).
            type: int
  purge_targets:
    description:
      - When O(targets) is given, remove targets of the rule whose id is not in it.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure application events are forwarded to the standby region's bus
  healthcare.dr.eventbridge_rule:
    name: events-forward-us-east-1-dev
    event_bus_name: events-bus-us-east-1-dev
    region: us-east-1
    description: Forward healthcare.application events to the DR region
    event_pattern:
      source: [healthcare.application]
    targets:
      - id: dr-bus
        arn: arn:aws:events:us-west-2:123456789012:event-bus/events-bus-us-west-2-dev
        role_arn: arn:aws:iam::123456789012:role/iam-eventsforward-us-east-1-dev
        dead_letter_arn: arn:aws:sqs:us-east-1:123456789012:sqs-eventsdlq-us-east-1-dev
        retry_policy:
          maximum_retry_attempts: 10
          maximum_event_age_in_seconds: 3600
    tags:
      Project: healthcare-dr

- name: Ensure the forwarding rule is gone (its targets first)
  healthcare.dr.eventbridge_rule:
    name: events-forward-us-east-1-dev
    event_bus_name: events-bus-us-east-1-dev
    region: us-east-1
    state: absent
"""

RETURN = r"""
rule:
  description: The rule as it is after the task (or would be, in check mode). Empty when O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Name of the rule.
      type: str
      returned: when the rule exists
      sample: events-forward-us-east-1-dev
    arn:
      description: ARN of the rule. Empty in check mode when the rule would be created.
      type: str
      returned: when the rule exists
      sample: arn:aws:events:us-east-1:123456789012:rule/events-bus-us-east-1-dev/events-forward-us-east-1-dev
    event_bus_name:
      description: Name of the rule's bus.
      type: str
      returned: when the rule exists
      sample: events-bus-us-east-1-dev
    event_pattern:
      description: The event pattern as a dict.
      type: dict
      returned: when the rule exists
      sample: {"source": ["healthcare.application"]}
    state:
      description: V(ENABLED) or V(DISABLED).
      type: str
      returned: when the rule exists
      sample: ENABLED
    description:
      description: Description of the rule.
      type: str
      returned: when the rule exists
      sample: Forward healthcare.application events to the DR region
    tags:
      description: Tags of the rule.
      type: dict
      returned: when the rule exists
      sample: {"Project": "healthcare-dr"}
targets:
  description: The rule's targets, in snake case, as returned by ListTargetsByRule.
  returned: always
  type: list
  elements: dict
  sample:
    - id: dr-bus
      arn: arn:aws:events:us-west-2:123456789012:event-bus/events-bus-us-west-2-dev
      role_arn: arn:aws:iam::123456789012:role/iam-eventsforward-us-east-1-dev
      dead_letter_config: {arn: "arn:aws:sqs:us-east-1:123456789012:sqs-eventsdlq-us-east-1-dev"}
      retry_policy: {maximum_retry_attempts: 10, maximum_event_age_in_seconds: 3600}
"""

from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import as_document
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import canonical
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import documents_differ
from ansible_collections.healthcare.dr.plugins.module_utils.eventbridge import get_tags
from ansible_collections.healthcare.dr.plugins.module_utils.eventbridge import sync_resource_tags
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tags_after

# Target keys this module manages; others AWS may report are not compared.
MANAGED_TARGET_KEYS = ("Id", "Arn", "RoleArn", "Input", "InputPath", "DeadLetterConfig", "RetryPolicy")
NOT_FOUND = ("ResourceNotFoundException",)


def bus_name_of(event_bus: str) -> str:
    """The bus name from a name or an ARN."""
    return event_bus.split("/")[-1] if event_bus.startswith("arn:") else event_bus


def describe_rule(module: AnsibleAWSModule, client: Any, name: str, bus: str) -> dict[str, Any] | None:
    """The rule in the module's return shape, or None when it (or its bus) does not exist."""
    msg = f"Couldn't describe rule {name} on event bus {bus}"
    rule = aws_call(module, msg, client.describe_rule, NOT_FOUND, Name=name, EventBusName=bus)
    if rule is None:
        return None
    return {
        "name": rule["Name"],
        "arn": rule["Arn"],
        "event_bus_name": bus_name_of(rule.get("EventBusName") or bus),
        "event_pattern": as_document(rule.get("EventPattern")) or {},
        "state": rule.get("State", "ENABLED"),
        "description": rule.get("Description", ""),
        "tags": get_tags(module, client, rule["Arn"]),
    }


def list_targets(module: AnsibleAWSModule, client: Any, name: str, bus: str) -> list[dict[str, Any]]:
    """Every target of the rule, in boto3's shape."""
    targets: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"Rule": name, "EventBusName": bus}
    msg = f"Couldn't list targets of rule {name} on event bus {bus}"
    while True:
        page = aws_call(module, msg, client.list_targets_by_rule, NOT_FOUND, **kwargs)
        if page is None:
            return targets
        targets.extend(page.get("Targets", []))
        if not page.get("NextToken"):
            return targets
        kwargs["NextToken"] = page["NextToken"]


def wanted_target(spec: dict[str, Any]) -> dict[str, Any]:
    """A target option in boto3's PutTargets shape."""
    target: dict[str, Any] = {"Id": spec["id"], "Arn": spec["arn"]}
    if spec.get("role_arn"):
        target["RoleArn"] = spec["role_arn"]
    if spec.get("input") is not None:
        target["Input"] = spec["input"]
    if spec.get("input_path"):
        target["InputPath"] = spec["input_path"]
    if spec.get("dead_letter_arn"):
        target["DeadLetterConfig"] = {"Arn": spec["dead_letter_arn"]}
    retry = spec.get("retry_policy") or {}
    retry_policy = {}
    if retry.get("maximum_retry_attempts") is not None:
        retry_policy["MaximumRetryAttempts"] = retry["maximum_retry_attempts"]
    if retry.get("maximum_event_age_in_seconds") is not None:
        retry_policy["MaximumEventAgeInSeconds"] = retry["maximum_event_age_in_seconds"]
    if retry_policy:
        target["RetryPolicy"] = retry_policy
    return target


def comparable_target(target: dict[str, Any], wanted: dict[str, Any]) -> Any:
    """The parts of ``target`` that ``wanted`` is compared on, key order not mattering."""
    keys = [key for key in MANAGED_TARGET_KEYS if key != "RetryPolicy" or "RetryPolicy" in wanted]
    kept = {key: target[key] for key in keys if key in target}
    if "Input" in kept:
        kept["Input"] = as_document(kept["Input"])
    return canonical(kept)


def targets_to_change(
    current: list[dict[str, Any]], wanted: list[dict[str, Any]] | None, purge: bool
) -> tuple[list[dict[str, Any]], list[str]]:
    """(targets to put, target ids to remove)."""
    if wanted is None:
        return [], []
    by_id = {target["Id"]: target for target in current}
    to_put = [
        target
        for target in wanted
        if target["Id"] not in by_id
        or comparable_target(by_id[target["Id"]], target) != comparable_target(target, target)
    ]
    wanted_ids = {target["Id"] for target in wanted}
    to_remove = [target_id for target_id in by_id if target_id not in wanted_ids] if purge else []
    return to_put, to_remove


def targets_after(
    current: list[dict[str, Any]], to_put: list[dict[str, Any]], to_remove: list[str]
) -> list[dict[str, Any]]:
    """The targets once the change is made (for check mode and diff)."""
    result = {target["Id"]: target for target in current if target["Id"] not in to_remove}
    for target in to_put:
        result[target["Id"]] = target
    return list(result.values())


def snake_targets(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [camel_dict_to_snake_dict(target) for target in targets]


def put_rule(module: AnsibleAWSModule, client: Any, name: str, bus: str, rule: dict[str, Any]) -> None:
    params: dict[str, Any] = {
        "Name": name,
        "EventBusName": bus,
        "EventPattern": module.jsonify(rule["event_pattern"]),
        "State": rule["state"],
    }
    if rule.get("description"):
        params["Description"] = rule["description"]
    aws_call(module, f"Couldn't put rule {name} on event bus {bus}", client.put_rule, **params)


def check_entries(module: AnsibleAWSModule, response: dict[str, Any] | None, msg: str) -> None:
    """Fail with ``msg`` when a PutTargets or RemoveTargets answer reports failed entries."""
    if response and response.get("FailedEntryCount"):
        module.fail_json(
            msg=msg,
            failed_entries=camel_dict_to_snake_dict({"entries": response.get("FailedEntries", [])})["entries"],
        )


def put_targets(module: AnsibleAWSModule, client: Any, name: str, bus: str, targets: list[dict[str, Any]]) -> None:
    msg = f"Couldn't put targets on rule {name} on event bus {bus}"
    check_entries(module, aws_call(module, msg, client.put_targets, Rule=name, EventBusName=bus, Targets=targets), msg)


def remove_targets(module: AnsibleAWSModule, client: Any, name: str, bus: str, ids: list[str]) -> None:
    msg = f"Couldn't remove targets {ids} from rule {name} on event bus {bus}"
    response = aws_call(module, msg, client.remove_targets, NOT_FOUND, Rule=name, EventBusName=bus, Ids=ids)
    check_entries(module, response, msg)


def delete_rule(module: AnsibleAWSModule, client: Any, name: str, bus: str) -> None:
    msg = f"Couldn't delete rule {name} on event bus {bus}"
    aws_call(module, msg, client.delete_rule, NOT_FOUND, Name=name, EventBusName=bus)


# --- states: plan (what is and what is wanted), predict (check mode), apply ---------------------


def wanted_pattern(module: AnsibleAWSModule) -> dict[str, Any]:
    """The event pattern option as a dict; fails unless it is a non-empty JSON object."""
    try:
        pattern = as_document(module.params["event_pattern"])
    except ValueError as e:
        module.fail_json(msg=f"event_pattern is not valid JSON: {e}")
    if not isinstance(pattern, dict) or not pattern:
        module.fail_json(msg="event_pattern must be a non-empty JSON object")
    return pattern


def plan_present(module: AnsibleAWSModule, client: Any, name: str, bus: str) -> dict[str, Any]:
    """The rule and targets as they are and as they will be, and what to write."""
    params = module.params
    pattern = wanted_pattern(module)
    wanted_targets = None if params["targets"] is None else [wanted_target(spec) for spec in params["targets"]]
    before = describe_rule(module, client, name, bus)
    current = before or {
        "name": name,
        "arn": "",
        "event_bus_name": bus_name_of(bus),
        "event_pattern": {},
        "state": "",
        "description": "",
        "tags": {},
    }
    current_targets = list_targets(module, client, name, bus) if before else []
    wanted_rule = dict(
        current,
        event_pattern=pattern,
        state="ENABLED" if params["enabled"] else "DISABLED",
        description=current["description"] if params["description"] is None else params["description"],
        tags=tags_after(current["tags"], params["tags"], params["purge_tags"]),
    )
    rule_changes = (
        before is None
        or documents_differ(current["event_pattern"], pattern)
        or current["state"] != wanted_rule["state"]
        or current["description"] != wanted_rule["description"]
    )
    to_put, to_remove = targets_to_change(current_targets, wanted_targets, params["purge_targets"])
    return {
        "rule": wanted_rule if rule_changes else None,
        "to_put": to_put,
        "to_remove": to_remove,
        "changed": bool(rule_changes or wanted_rule["tags"] != current["tags"] or to_put or to_remove),
        "before": {"rule": before or {}, "targets": snake_targets(current_targets)},
        "after": {"rule": wanted_rule, "targets": snake_targets(targets_after(current_targets, to_put, to_remove))},
    }


def apply_present(module: AnsibleAWSModule, client: Any, name: str, bus: str, plan: dict[str, Any]) -> dict[str, Any]:
    """Put the rule, its tags and its targets; the rule and targets as read back."""
    params = module.params
    if plan["rule"] is not None:
        put_rule(module, client, name, bus, plan["rule"])
    created = describe_rule(module, client, name, bus)
    if created is None:
        module.fail_json(msg=f"Rule {name} on event bus {bus} was put but cannot be described")
    sync_resource_tags(module, client, created["arn"], created["tags"], params["tags"], params["purge_tags"])
    if plan["to_remove"]:
        remove_targets(module, client, name, bus, plan["to_remove"])
    if plan["to_put"]:
        put_targets(module, client, name, bus, plan["to_put"])
    return {
        "rule": describe_rule(module, client, name, bus) or {},
        "targets": snake_targets(list_targets(module, client, name, bus)),
    }


def ensure_present(module: AnsibleAWSModule, client: Any, name: str, bus: str) -> Outcome:
    plan = plan_present(module, client, name, bus)
    if module.check_mode or not plan["changed"]:
        return Outcome(plan["changed"], plan["before"], plan["after"], plan["after"])
    after = apply_present(module, client, name, bus, plan)
    return Outcome(True, plan["before"], after, after)


def ensure_absent(module: AnsibleAWSModule, client: Any, name: str, bus: str) -> Outcome:
    gone: dict[str, Any] = {"rule": {}, "targets": []}
    before = describe_rule(module, client, name, bus)
    if before is None:
        return Outcome(False, gone, gone, gone)
    current_targets = list_targets(module, client, name, bus)
    if not module.check_mode:
        if current_targets:
            remove_targets(module, client, name, bus, [target["Id"] for target in current_targets])
        delete_rule(module, client, name, bus)
    return Outcome(True, {"rule": before, "targets": snake_targets(current_targets)}, gone, gone)


def main() -> None:
    target_spec = dict(
        id=dict(type="str", required=True),
        arn=dict(type="str", required=True),
        role_arn=dict(type="str"),
        input=dict(type="json"),
        input_path=dict(type="str"),
        dead_letter_arn=dict(type="str"),
        retry_policy=dict(
            type="dict",
            options=dict(
                maximum_retry_attempts=dict(type="int"),
                maximum_event_age_in_seconds=dict(type="int"),
            ),
        ),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        event_bus_name=dict(type="str", default="default"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        enabled=dict(type="bool", default=True),
        description=dict(type="str"),
        event_pattern=dict(type="json"),
        targets=dict(type="list", elements="dict", options=target_spec),
        purge_targets=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["event_pattern"])],
        supports_check_mode=True,
    )
    client = module.client("events", retry_decorator=AWSRetry.jittered_backoff())
    name = module.params["name"]
    bus = module.params["event_bus_name"]

    ensure = ensure_present if module.params["state"] == "present" else ensure_absent
    exit_with(module, ensure(module, client, name, bus))


if __name__ == "__main__":
    main()
