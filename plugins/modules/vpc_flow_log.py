#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vpc_flow_log
version_added: 0.1.0
short_description: Manage a VPC, subnet or network interface flow log
description:
  - Ensures that one flow log exists (or does not exist) on a VPC, a subnet or a network interface,
    delivering to a CloudWatch Logs log group or to an S3 bucket.
  - A flow log is identified by the resource it watches (O(resource_id)), its destination
    (O(log_destination_type) with O(log_group_name) or O(log_destination)) and O(traffic_type).
    Changing any of these describes another flow log, the old one is left alone (remove it with
    O(state=absent)).
  - AWS cannot modify a flow log once created. When the matching flow log differs in an attribute
    that cannot change (O(max_aggregation_interval), O(deliver_logs_permission_arn), O(log_format)
    when given), the module B(replaces) it - deletes it, then creates the new one - and returns
    RV(replaced=true). No traffic is logged between the deletion and the creation, and the
    replacement has a new flow log ID.
  - Only the tags of a matching flow log are updated in place.
  - If several flow logs match (which AWS normally prevents), one that already has the wanted
    attributes is kept and the others are deleted.
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  state:
    description:
      - V(present) ensures the flow log exists with the given attributes and tags.
      - V(absent) deletes every flow log on O(resource_id) with the given destination and traffic type.
    type: str
    choices: [present, absent]
    default: present
  resource_id:
    description:
      - ID of the VPC, subnet or network interface whose traffic is logged.
    type: str
    required: true
  resource_type:
    description:
      - Kind of resource O(resource_id) is.
    type: str
    choices: [VPC, Subnet, NetworkInterface]
    default: VPC
  traffic_type:
    description:
      - Which traffic is logged.
    type: str
    choices: [ACCEPT, REJECT, ALL]
    default: ALL
  log_destination_type:
    description:
      - Where the flow log records go.
    type: str
    choices: [cloud-watch-logs, s3]
    default: cloud-watch-logs
  log_group_name:
    description:
      - Name of the CloudWatch Logs log group that receives the records.
      - Required when O(log_destination_type=cloud-watch-logs).
      - AWS creates the log group on first delivery if it does not exist; create it beforehand
        (for example with M(amazon.aws.cloudwatchlogs_log_group)) to control its retention and
        encryption.
    type: str
  deliver_logs_permission_arn:
    description:
      - ARN of the IAM role that allows the flow logs service to publish to the log group.
      - Required when O(state=present) and O(log_destination_type=cloud-watch-logs); ignored for V(s3).
      - Cannot be modified; a different value replaces the flow log.
    type: str
  log_destination:
    description:
      - ARN of the S3 bucket, optionally followed by a folder, that receives the records,
        for example V(arn:aws:s3:::my-bucket/flow-logs/).
      - Required when O(log_destination_type=s3).
      - A trailing V(/) is ignored when comparing with an existing flow log.
    type: str
  max_aggregation_interval:
    description:
      - Maximum interval, in seconds, during which a flow of packets is captured and aggregated
        into one record.
      - Cannot be modified; a different value replaces the flow log.
    type: int
    choices: [60, 600]
    default: 600
  log_format:
    description:
      - Fields to include in the records, in AWS's V(${field}) syntax.
      - When omitted, AWS's default format is used on creation and the format of an existing flow
        log is not compared.
      - Cannot be modified; a different value replaces the flow log.
    type: str
notes:
  - Changing O(traffic_type) while keeping the destination describes a new flow log; AWS may refuse
    it as a duplicate of the old one (the emulator does), so remove the old one first with
    O(state=absent).
  - Check mode and diff mode are supported. In check mode nothing is created, replaced or retagged,
    and RV(flow_log) is the current flow log (empty when it would be created).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the VPC's traffic is logged to CloudWatch Logs
  healthcare.dr.vpc_flow_log:
    state: present
    resource_id: vpc-0123456789abcdef0
    resource_type: VPC
    traffic_type: ALL
    log_destination_type: cloud-watch-logs
    log_group_name: /vpc/flow-logs/vpc-main-us-east-1-dev
    deliver_logs_permission_arn: arn:aws:iam::123456789012:role/flowlogs-delivery
    max_aggregation_interval: 600
    tags:
      Name: flowlog-main-us-east-1-dev
    purge_tags: true
  register: flow_log

- name: Ensure rejected traffic of a subnet is logged to an S3 folder
  healthcare.dr.vpc_flow_log:
    resource_id: subnet-0123456789abcdef0
    resource_type: Subnet
    traffic_type: REJECT
    log_destination_type: s3
    log_destination: arn:aws:s3:::my-flow-log-bucket/subnets/
    max_aggregation_interval: 60

- name: Ensure the VPC's flow log to CloudWatch Logs is gone
  healthcare.dr.vpc_flow_log:
    state: absent
    resource_id: vpc-0123456789abcdef0
    traffic_type: ALL
    log_destination_type: cloud-watch-logs
    log_group_name: /vpc/flow-logs/vpc-main-us-east-1-dev
"""

RETURN = r"""
flow_log:
  description:
    - The flow log as AWS describes it, keys in snake case, tags as a dictionary.
    - Empty when O(state=absent), or in check mode when the flow log would be created.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the flow log (same as RV(flow_log.flow_log_id)).
      type: str
      sample: fl-0123456789abcdef0
    flow_log_id:
      description: ID of the flow log.
      type: str
      sample: fl-0123456789abcdef0
    resource_id:
      description: ID of the resource whose traffic is logged.
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: Which traffic is logged.
      type: str
      sample: ALL
    log_destination_type:
      description: Where the records go.
      type: str
      sample: cloud-watch-logs
    log_group_name:
      description: Log group receiving the records (CloudWatch Logs destinations).
      type: str
      sample: /vpc/flow-logs/vpc-main-us-east-1-dev
    log_destination:
      description: ARN of the destination.
      type: str
      sample: arn:aws:s3:::my-flow-log-bucket/subnets/
    deliver_logs_permission_arn:
      description: IAM role used to deliver to CloudWatch Logs.
      type: str
      sample: arn:aws:iam::123456789012:role/flowlogs-delivery
    deliver_logs_status:
      description: Status of delivery, V(SUCCESS) or V(FAILED).
      type: str
      sample: SUCCESS
    flow_log_status:
      description: Status of the flow log.
      type: str
      sample: ACTIVE
    max_aggregation_interval:
      description: Aggregation interval in seconds.
      type: int
      sample: 600
    log_format:
      description: Format of the records.
      type: str
      sample: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport}"
    creation_time:
      description: When the flow log was created.
      type: str
      sample: "2026-11-29T07:50:01+00:00"
    tags:
      description: Tags of the flow log.
      type: dict
      sample: {Name: flowlog-main-us-east-1-dev}
replaced:
  description: Whether an existing flow log was deleted and created again because an attribute AWS cannot modify differed.
  returned: when O(state=present)
  type: bool
  sample: false
replaced_attributes:
  description: The options whose value differed from the replaced flow log.
  returned: when RV(replaced=true)
  type: list
  elements: str
  sample: [max_aggregation_interval]
deleted_flow_log_ids:
  description: IDs of the flow logs deleted (or that would be deleted in check mode), by O(state=absent) or by a replacement.
  returned: always
  type: list
  elements: str
  sample: [fl-0123456789abcdef0]
"""

import uuid
from typing import Any, Optional

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import add_ec2_tags
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import remove_ec2_tags
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import sync_tags
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tags_after
from ansible_collections.healthcare.dr.plugins.module_utils.waiting import wait_for

# Seconds to wait for a new flow log to become visible to DescribeFlowLogs.
VISIBLE_TIMEOUT = 60


@AWSRetry.jittered_backoff()
def _describe_flow_logs_with_backoff(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    paginator = client.get_paginator("describe_flow_logs")
    return paginator.paginate(**kwargs).build_full_result().get("FlowLogs", [])


def describe_flow_logs(client: Any, module: AnsibleAWSModule, resource_id: str) -> list[dict[str, Any]]:
    """Every flow log on ``resource_id``."""
    try:
        return _describe_flow_logs_with_backoff(client, Filters=[{"Name": "resource-id", "Values": [resource_id]}])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't describe flow logs of {resource_id}")


def describe_flow_log(client: Any, module: AnsibleAWSModule, flow_log_id: str) -> Optional[dict[str, Any]]:
    """The flow log ``flow_log_id``, or None if AWS does not list it (yet)."""
    try:
        flow_logs = client.describe_flow_logs(aws_retry=True, FlowLogIds=[flow_log_id])["FlowLogs"]
    except is_boto3_error_code("InvalidFlowLogId.NotFound"):
        return None
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't describe flow log {flow_log_id}")
    return flow_logs[0] if flow_logs else None


def _same_s3_destination(a: Optional[str], b: Optional[str]) -> bool:
    return bool(a) and bool(b) and a.rstrip("/") == b.rstrip("/")


def _is_log_group(arn: Optional[str], name: str) -> bool:
    """Whether ``arn`` is the ARN of the log group ``name`` (with or without ``:*``)."""
    if not arn:
        return False
    arn = arn[:-2] if arn.endswith(":*") else arn
    return arn.endswith(f":log-group:{name}")


def same_identity(flow_log: dict[str, Any], params: dict[str, Any]) -> bool:
    """Whether ``flow_log`` is the flow log the parameters describe: same destination and traffic."""
    if flow_log.get("TrafficType") != params["traffic_type"]:
        return False
    destination_type = flow_log.get("LogDestinationType", "cloud-watch-logs")
    if destination_type != params["log_destination_type"]:
        return False
    if destination_type == "s3":
        return _same_s3_destination(flow_log.get("LogDestination"), params["log_destination"])
    name = params["log_group_name"]
    return flow_log.get("LogGroupName") == name or _is_log_group(flow_log.get("LogDestination"), name)


def immutable_differences(flow_log: dict[str, Any], params: dict[str, Any]) -> list[str]:
    """Names of the options whose value differs from ``flow_log`` and can only change by replacement."""
    differences = []
    if flow_log.get("MaxAggregationInterval", 600) != params["max_aggregation_interval"]:
        differences.append("max_aggregation_interval")
    if (
        params["log_destination_type"] == "cloud-watch-logs"
        and flow_log.get("DeliverLogsPermissionArn") != params["deliver_logs_permission_arn"]
    ):
        differences.append("deliver_logs_permission_arn")
    if params["log_format"] is not None and flow_log.get("LogFormat") != params["log_format"]:
        differences.append("log_format")
    return differences


def wanted_tags(current: dict[str, str], params: dict[str, Any]) -> dict[str, str]:
    """The tags the flow log should end with, given its ``current`` ones (values as text, as AWS keeps them)."""
    wanted = None if params["tags"] is None else {key: str(value) for key, value in params["tags"].items()}
    return tags_after(current, wanted, params["purge_tags"])


def wanted_attributes(params: dict[str, Any]) -> dict[str, Any]:
    """The attributes of the flow log the parameters describe, under CreateFlowLogs's keys."""
    attributes: dict[str, Any] = dict(
        TrafficType=params["traffic_type"],
        LogDestinationType=params["log_destination_type"],
        MaxAggregationInterval=params["max_aggregation_interval"],
    )
    if params["log_destination_type"] == "cloud-watch-logs":
        attributes["LogGroupName"] = params["log_group_name"]
        attributes["DeliverLogsPermissionArn"] = params["deliver_logs_permission_arn"]
    else:
        attributes["LogDestination"] = params["log_destination"]
    if params["log_format"] is not None:
        attributes["LogFormat"] = params["log_format"]
    return attributes


def comparable(flow_log: Optional[dict[str, Any]]) -> dict[str, Any]:
    """The part of a flow log that diff mode shows."""
    if not flow_log:
        return {}
    keys = (
        "FlowLogId",
        "ResourceId",
        "TrafficType",
        "LogDestinationType",
        "LogGroupName",
        "LogDestination",
        "DeliverLogsPermissionArn",
        "MaxAggregationInterval",
        "LogFormat",
    )
    shown = {key: flow_log[key] for key in keys if flow_log.get(key) is not None}
    result = camel_dict_to_snake_dict(shown)
    result["tags"] = boto3_tag_list_to_ansible_dict(flow_log.get("Tags", []))
    return result


def normalize(flow_log: Optional[dict[str, Any]]) -> dict[str, Any]:
    """A flow log in Ansible's shape: snake case, tags as a dictionary, ``id``."""
    if not flow_log:
        return {}
    result = camel_dict_to_snake_dict(flow_log, ignore_list=["Tags"])
    if hasattr(result.get("creation_time"), "isoformat"):
        result["creation_time"] = result["creation_time"].isoformat()
    result["tags"] = boto3_tag_list_to_ansible_dict(flow_log.get("Tags", []))
    result["id"] = flow_log["FlowLogId"]
    return result


def delete_flow_logs(client: Any, module: AnsibleAWSModule, flow_log_ids: list[str], resource_id: str) -> None:
    """Delete ``flow_log_ids``; those already gone are not an error."""
    if not flow_log_ids:
        return
    ids = ", ".join(flow_log_ids)
    try:
        response = client.delete_flow_logs(aws_retry=True, FlowLogIds=flow_log_ids)
    except is_boto3_error_code("InvalidFlowLogId.NotFound"):
        return
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't delete flow log(s) {ids} of {resource_id}")
    failures = [
        item
        for item in response.get("Unsuccessful", [])
        if "NotFound" not in item.get("Error", {}).get("Code", "")
    ]
    if failures:
        module.fail_json(
            msg=f"Couldn't delete flow log(s) {ids} of {resource_id}: {failures}",
            unsuccessful=failures,
        )


def create_flow_log(client: Any, module: AnsibleAWSModule, params: dict[str, Any]) -> dict[str, Any]:
    """Create the flow log the parameters describe and return it as AWS describes it."""
    resource_id = params["resource_id"]
    request = dict(
        ClientToken=str(uuid.uuid4()),
        ResourceIds=[resource_id],
        ResourceType=params["resource_type"],
        **wanted_attributes(params),
    )
    if params["tags"]:
        request["TagSpecifications"] = [
            {"ResourceType": "vpc-flow-log", "Tags": ansible_dict_to_boto3_tag_list(params["tags"])}
        ]

    what = f"flow log of {params['resource_type']} {resource_id}"
    try:
        response = client.create_flow_logs(aws_retry=True, **request)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't create {what}")
    if response.get("Unsuccessful") or not response.get("FlowLogIds"):
        module.fail_json(
            msg=f"Couldn't create {what}: {response.get('Unsuccessful')}",
            unsuccessful=response.get("Unsuccessful", []),
        )
    flow_log_id = response["FlowLogIds"][0]
    return wait_for(
        module,
        f"new flow log {flow_log_id} of {resource_id} to be listed",
        lambda: describe_flow_log(client, module, flow_log_id),
        timeout=VISIBLE_TIMEOUT,
        delay=2,
    )


def sync_flow_log_tags(client: Any, module: AnsibleAWSModule, flow_log: dict[str, Any], params: dict[str, Any]) -> bool:
    """Bring the tags of an existing flow log in line (see :func:`sync_tags`); True when they change."""
    flow_log_id = flow_log["FlowLogId"]
    return sync_tags(
        module,
        boto3_tag_list_to_ansible_dict(flow_log.get("Tags", [])),
        params["tags"],
        params["purge_tags"],
        lambda tags: add_ec2_tags(client, module, flow_log_id, tags),
        lambda keys: remove_ec2_tags(client, module, flow_log_id, keys),
        f"Couldn't tag flow log {flow_log_id}",
    )


def desired(params: dict[str, Any]) -> dict[str, Any]:
    """The flow log the parameters describe, in the shape of :func:`comparable`."""
    result = camel_dict_to_snake_dict(wanted_attributes(params))
    result.update(resource_id=params["resource_id"], tags=wanted_tags({}, params))
    return result


# --- states: plan (what is and what is wanted), predict (check mode), apply ---------------------


def plan_present(client: Any, module: AnsibleAWSModule) -> dict[str, Any]:
    """Which matching flow log to keep (None: create one) and which to delete."""
    params = module.params
    matches = [fl for fl in describe_flow_logs(client, module, params["resource_id"]) if same_identity(fl, params)]
    # Keep a matching flow log that already has the wanted immutable attributes; any other match goes.
    keep = next((fl for fl in matches if not immutable_differences(fl, params)), None)
    return {
        "matches": matches,
        "keep": keep,
        "to_delete": [fl["FlowLogId"] for fl in matches if fl is not keep],
        "replaced": keep is None and bool(matches),
        "before": comparable(keep if keep is not None else (matches[0] if matches else None)),
    }


def keep_flow_log(client: Any, module: AnsibleAWSModule, plan: dict[str, Any]) -> tuple[bool, Any, dict[str, Any]]:
    """Retag the kept flow log and delete the other matches; (changed, flow log, diff's after)."""
    params = module.params
    keep = plan["keep"]
    after = dict(plan["before"], tags=wanted_tags(plan["before"]["tags"], params))
    tags_changed = sync_flow_log_tags(client, module, keep, params)  # writes nothing in check mode
    if not module.check_mode:
        delete_flow_logs(client, module, plan["to_delete"], params["resource_id"])
    result = keep
    if tags_changed and not module.check_mode:
        result = describe_flow_log(client, module, keep["FlowLogId"]) or keep
    return tags_changed or bool(plan["to_delete"]), result, after


def replace_flow_log(client: Any, module: AnsibleAWSModule, plan: dict[str, Any]) -> tuple[bool, Any, dict[str, Any]]:
    """Delete the matches and create the flow log; (changed, flow log, diff's after)."""
    if module.check_mode:
        return True, None, desired(module.params)
    # Flow logs cannot be modified. The old one goes first: AWS may refuse the new one as a
    # duplicate while the old one still delivers to the same destination.
    delete_flow_logs(client, module, plan["to_delete"], module.params["resource_id"])
    result = create_flow_log(client, module, module.params)
    return True, result, comparable(result)


def ensure_present(client: Any, module: AnsibleAWSModule) -> Outcome:
    plan = plan_present(client, module)
    apply = keep_flow_log if plan["keep"] is not None else replace_flow_log
    changed, flow_log, after = apply(client, module, plan)
    output = dict(
        flow_log=normalize(flow_log), replaced=plan["replaced"], deleted_flow_log_ids=plan["to_delete"]
    )
    if plan["replaced"]:
        output["replaced_attributes"] = immutable_differences(plan["matches"][0], module.params)
    return Outcome(changed, plan["before"], after, output)


def ensure_absent(client: Any, module: AnsibleAWSModule) -> Outcome:
    params = module.params
    resource_id = params["resource_id"]
    matches = [fl for fl in describe_flow_logs(client, module, resource_id) if same_identity(fl, params)]
    to_delete = [fl["FlowLogId"] for fl in matches]
    if to_delete and not module.check_mode:
        delete_flow_logs(client, module, to_delete, resource_id)
    before = comparable(matches[0]) if matches else {}
    return Outcome(bool(to_delete), before, {}, dict(flow_log={}, deleted_flow_log_ids=to_delete))


def validate(module: AnsibleAWSModule) -> None:
    """Fail on options that do not go together (required_if counts an option given as null as given)."""
    params = module.params
    if params["log_destination_type"] == "s3":
        if not params["log_destination"]:
            module.fail_json(msg="log_destination is required when log_destination_type=s3")
        if params["log_group_name"] is not None:
            module.fail_json(msg="log_group_name is for log_destination_type=cloud-watch-logs, not s3")
        if not params["log_destination"].startswith("arn:"):
            module.fail_json(msg=f"log_destination must be an S3 bucket ARN, got {params['log_destination']}")
    else:
        if not params["log_group_name"]:
            module.fail_json(msg="log_group_name is required when log_destination_type=cloud-watch-logs")
        if params["log_destination"] is not None:
            module.fail_json(msg="log_destination is for log_destination_type=s3; give log_group_name instead")
        if params["state"] == "present" and not params["deliver_logs_permission_arn"]:
            module.fail_json(
                msg="deliver_logs_permission_arn is required when state=present and log_destination_type=cloud-watch-logs"
            )


def main() -> None:
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        resource_id=dict(type="str", required=True),
        resource_type=dict(type="str", choices=["VPC", "Subnet", "NetworkInterface"], default="VPC"),
        traffic_type=dict(type="str", choices=["ACCEPT", "REJECT", "ALL"], default="ALL"),
        log_destination_type=dict(type="str", choices=["cloud-watch-logs", "s3"], default="cloud-watch-logs"),
        log_group_name=dict(type="str"),
        deliver_logs_permission_arn=dict(type="str"),
        log_destination=dict(type="str"),
        max_aggregation_interval=dict(type="int", choices=[60, 600], default=600),
        log_format=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    required_if = [
        ("log_destination_type", "cloud-watch-logs", ["log_group_name"]),
        ("log_destination_type", "s3", ["log_destination"]),
    ]
    module = AnsibleAWSModule(argument_spec=argument_spec, required_if=required_if, supports_check_mode=True)

    validate(module)
    client = module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())
    ensure = ensure_present if module.params["state"] == "present" else ensure_absent
    exit_with(module, ensure(client, module))


if __name__ == "__main__":
    main()
