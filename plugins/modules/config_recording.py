#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: config_recording
version_added: 0.2.0
short_description: AWS Config recording in a region, recorder, delivery channel and recording state together
description:
  - Ensure a region's AWS Config configuration recorder, its delivery channel and whether the recorder is
    recording, in the order AWS requires (recorder, channel, start; stop, channel, recorder to remove).
  - C(community.aws.config_recorder) and C(community.aws.config_delivery_channel) create the first two but
    cannot start recording, have no check mode, and compare their whole input with what AWS describes, which
    holds fields AWS fills in itself (C(recordingMode), C(recordingStrategy)), so they report a change on every
    run. This module compares only the fields it is given.
  - A region holds at most one recorder and one delivery channel per account.
options:
  name:
    description: Name of the configuration recorder.
    type: str
    default: default
  state:
    description:
      - V(present) makes the recorder, the channel and the recording state as given.
      - V(absent) stops recording, then deletes the channel and the recorder.
    type: str
    choices: [present, absent]
    default: present
  role_arn:
    description:
      - The IAM role AWS Config assumes to read resources (usually with the C(AWS_ConfigRole) managed policy).
      - Required when O(state=present).
    type: str
  all_supported:
    description: Record every supported resource type of the region.
    type: bool
    default: true
  include_global_resource_types:
    description:
      - Also record global resources (IAM). Turn it on in one region only, or they are recorded twice.
    type: bool
    default: false
  resource_types:
    description: The resource types to record when O(all_supported=false).
    type: list
    elements: str
    default: []
  delivery_channel_name:
    description: Name of the delivery channel.
    type: str
    default: default
  s3_bucket:
    description:
      - Bucket the configuration history and snapshots go to; its policy must let C(config.amazonaws.com) write.
      - Required when O(state=present).
    type: str
  s3_prefix:
    description: Key prefix in O(s3_bucket).
    type: str
  s3_kms_key_arn:
    description: KMS key AWS Config encrypts the delivered objects with.
    type: str
  sns_topic_arn:
    description: Topic AWS Config notifies of configuration changes.
    type: str
  delivery_frequency:
    description: How often configuration snapshots are delivered.
    type: str
    choices: [One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours]
  recording:
    description: Whether the recorder records (C(StartConfigurationRecorder) / C(StopConfigurationRecorder)).
    type: bool
    default: true
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure AWS Config records this region into the audit bucket
  healthcare.dr.config_recording:
    name: config-recorder-us-east-1-prod
    role_arn: arn:aws:iam::123456789012:role/iam-config-global-prod
    include_global_resource_types: true
    delivery_channel_name: config-channel-us-east-1-prod
    s3_bucket: s3-audit-global-prod-123456789012
    s3_prefix: config
    delivery_frequency: TwentyFour_Hours

- name: Ensure AWS Config no longer records this region
  healthcare.dr.config_recording:
    name: config-recorder-us-east-1-prod
    delivery_channel_name: config-channel-us-east-1-prod
    state: absent
"""

RETURN = r"""
recorder:
  description: The configuration recorder after the task, as AWS describes it; empty when absent.
  returned: always
  type: dict
  sample: {"name": "default", "role_arn": "arn:aws:iam::123456789012:role/config",
           "recording_group": {"all_supported": true, "include_global_resource_types": false}}
delivery_channel:
  description: The delivery channel after the task; empty when absent.
  returned: always
  type: dict
  sample: {"name": "default", "s3_bucket_name": "audit-bucket", "s3_key_prefix": "config"}
recording:
  description: Whether the recorder records after the task.
  returned: always
  type: bool
  sample: true
"""

from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.comparison import differs_where_given
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


NO_RECORDER = ("NoSuchConfigurationRecorderException",)


def describe_recorder(module: AnsibleAWSModule, client: Any, name: str) -> dict[str, Any]:
    msg = f"Couldn't describe configuration recorder {name}"
    found = aws_call(module, msg, client.describe_configuration_recorders, NO_RECORDER, ConfigurationRecorderNames=[name])
    return ((found or {}).get("ConfigurationRecorders") or [{}])[0]


def is_recording(module: AnsibleAWSModule, client: Any, name: str) -> bool:
    msg = f"Couldn't read the status of configuration recorder {name}"
    status = client.describe_configuration_recorder_status
    found = aws_call(module, msg, status, NO_RECORDER, ConfigurationRecorderNames=[name])
    return bool(((found or {}).get("ConfigurationRecordersStatus") or [{}])[0].get("recording"))


def describe_channel(module: AnsibleAWSModule, client: Any, name: str) -> dict[str, Any]:
    msg = f"Couldn't describe delivery channel {name}"
    found = aws_call(module, msg, client.describe_delivery_channels, ("NoSuchDeliveryChannelException",), DeliveryChannelNames=[name])
    return ((found or {}).get("DeliveryChannels") or [{}])[0]


def wanted_recorder(params: dict[str, Any]) -> dict[str, Any]:
    group: dict[str, Any] = {
        "allSupported": params["all_supported"],
        "includeGlobalResourceTypes": params["include_global_resource_types"],
    }
    if not params["all_supported"]:
        group["resourceTypes"] = params["resource_types"]
    return {"name": params["name"], "roleARN": params["role_arn"], "recordingGroup": group}


def wanted_channel(params: dict[str, Any]) -> dict[str, Any]:
    channel: dict[str, Any] = {"name": params["delivery_channel_name"], "s3BucketName": params["s3_bucket"]}
    optional = {"s3KeyPrefix": "s3_prefix", "s3KmsKeyArn": "s3_kms_key_arn", "snsTopicARN": "sns_topic_arn"}
    for key, param in optional.items():
        if params[param]:
            channel[key] = params[param]
    if params["delivery_frequency"]:
        channel["configSnapshotDeliveryProperties"] = {"deliveryFrequency": params["delivery_frequency"]}
    return channel


def outcome(changed: bool, before: dict[str, Any], after: dict[str, Any]) -> Outcome:
    result = {
        "recorder": camel_dict_to_snake_dict(after["recorder"]),
        "delivery_channel": camel_dict_to_snake_dict(after["delivery_channel"]),
        "recording": after["recording"],
    }
    return Outcome(changed, before, after, result)


def apply_present(module: AnsibleAWSModule, client: Any, before: dict[str, Any], wanted: dict[str, Any]) -> None:
    """Put what differs, in AWS's order."""
    name = module.params["name"]
    try:
        if not before["recorder"] or differs_where_given(before["recorder"], wanted["recorder"]):
            client.put_configuration_recorder(aws_retry=True, ConfigurationRecorder=wanted["recorder"])
        if not before["delivery_channel"] or differs_where_given(before["delivery_channel"], wanted["delivery_channel"]):
            client.put_delivery_channel(aws_retry=True, DeliveryChannel=wanted["delivery_channel"])
        if wanted["recording"] and not before["recording"]:
            client.start_configuration_recorder(aws_retry=True, ConfigurationRecorderName=name)
        elif before["recording"] and not wanted["recording"]:
            client.stop_configuration_recorder(aws_retry=True, ConfigurationRecorderName=name)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't configure AWS Config recording with recorder {name}")


def ensure_present(module: AnsibleAWSModule, client: Any, before: dict[str, Any]) -> Outcome:
    params = module.params
    wanted = {"recorder": wanted_recorder(params), "delivery_channel": wanted_channel(params), "recording": params["recording"]}
    changed = (
        not before["recorder"]
        or differs_where_given(before["recorder"], wanted["recorder"])
        or not before["delivery_channel"]
        or differs_where_given(before["delivery_channel"], wanted["delivery_channel"])
        or before["recording"] != wanted["recording"]
    )
    if not changed:
        return outcome(False, before, before)
    if module.check_mode:
        return outcome(True, before, wanted)
    apply_present(module, client, before, wanted)
    return outcome(True, before, read_state(module, client))


def ensure_absent(module: AnsibleAWSModule, client: Any, before: dict[str, Any]) -> Outcome:
    gone: dict[str, Any] = {"recorder": {}, "delivery_channel": {}, "recording": False}
    if not (before["recorder"] or before["delivery_channel"] or before["recording"]):
        return outcome(False, before, before)
    if module.check_mode:
        return outcome(True, before, gone)
    name = module.params["name"]
    channel = module.params["delivery_channel_name"]
    try:
        if before["recording"]:
            client.stop_configuration_recorder(aws_retry=True, ConfigurationRecorderName=name)
        if before["delivery_channel"]:
            client.delete_delivery_channel(aws_retry=True, DeliveryChannelName=channel)
        if before["recorder"]:
            client.delete_configuration_recorder(aws_retry=True, ConfigurationRecorderName=name)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't remove AWS Config recording with recorder {name}")
    return outcome(True, before, gone)


def read_state(module: AnsibleAWSModule, client: Any) -> dict[str, Any]:
    name = module.params["name"]
    return {
        "recorder": describe_recorder(module, client, name),
        "delivery_channel": describe_channel(module, client, module.params["delivery_channel_name"]),
        "recording": is_recording(module, client, name),
    }


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", default="default"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        role_arn=dict(type="str"),
        all_supported=dict(type="bool", default=True),
        include_global_resource_types=dict(type="bool", default=False),
        resource_types=dict(type="list", elements="str", default=[]),
        delivery_channel_name=dict(type="str", default="default"),
        s3_bucket=dict(type="str"),
        s3_prefix=dict(type="str"),
        s3_kms_key_arn=dict(type="str", no_log=False),  # an ARN, not a secret
        sns_topic_arn=dict(type="str"),
        delivery_frequency=dict(
            type="str", choices=["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"]
        ),
        recording=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["role_arn", "s3_bucket"])],
        supports_check_mode=True,
    )
    client = module.client("config", retry_decorator=AWSRetry.jittered_backoff())

    ensure = ensure_present if module.params["state"] == "present" else ensure_absent
    exit_with(module, ensure(module, client, read_state(module, client)))


if __name__ == "__main__":
    main()
