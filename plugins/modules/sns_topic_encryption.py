#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: sns_topic_encryption
version_added: 0.1.0
short_description: Encrypt an SNS topic at rest with a KMS key
description:
  - Set or remove the KMS key an Amazon SNS topic encrypts its messages with
    (the topic's C(KmsMasterKeyId) attribute).
  - C(community.aws.sns_topic) creates topics, subscriptions and policies but cannot set
    this attribute; use this module after it.
  - The topic must exist.
options:
  topic:
    description:
      - The topic's name or ARN. A name is looked up in the module's region.
    type: str
    required: true
    aliases: [name, topic_arn]
  state:
    description:
      - V(present) makes the topic use O(kms_master_key_id).
      - V(absent) removes server-side encryption from the topic.
    type: str
    choices: [present, absent]
    default: present
  kms_master_key_id:
    description:
      - The KMS key to encrypt with, as a key id, key ARN, alias name (V(alias/...)) or alias ARN.
      - It is compared with the topic's attribute as written, so give it the same way every time.
      - For CloudWatch alarms to publish to the topic, the key policy must let
        C(cloudwatch.amazonaws.com) use C(kms:GenerateDataKey*) and C(kms:Decrypt); the AWS managed
        key C(alias/aws/sns) does not.
      - Required when O(state=present).
    type: str
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure the alarm topic exists
  community.aws.sns_topic:
    name: sns-alarms-global-dev
  register: topic

- name: Ensure the alarm topic is encrypted with the alarms key
  healthcare.dr.sns_topic_encryption:
    topic: "{{ topic.sns_arn }}"
    kms_master_key_id: alias/kms-alarms-us-east-1-dev

- name: Ensure the topic is no longer encrypted
  healthcare.dr.sns_topic_encryption:
    topic: sns-alarms-global-dev
    state: absent
"""

RETURN = r"""
topic_arn:
  description: ARN of the topic.
  returned: always
  type: str
  sample: arn:aws:sns:us-east-1:123456789012:sns-alarms-global-dev
kms_master_key_id:
  description: The KMS key the topic uses after the task; empty when it is not encrypted.
  returned: always
  type: str
  sample: alias/kms-alarms-us-east-1-dev
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

from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with

ATTRIBUTE = "KmsMasterKeyId"


@AWSRetry.jittered_backoff()
def _list_topics(client: Any) -> list[dict[str, Any]]:
    return client.get_paginator("list_topics").paginate().build_full_result().get("Topics", [])


def topic_arn_of(module: AnsibleAWSModule, client: Any, topic: str) -> str:
    """The ARN of ``topic`` (an ARN already, or a name in this region)."""
    if topic.startswith("arn:"):
        return topic
    try:
        for entry in _list_topics(client):
            if entry["TopicArn"].rsplit(":", 1)[-1] == topic:
                return entry["TopicArn"]
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't list topics to find topic {topic}")
    module.fail_json(msg=f"Topic {topic} does not exist")


def current_key(module: AnsibleAWSModule, client: Any, arn: str) -> str:
    """The topic's KMS key as stored ('' when not encrypted)."""
    try:
        attributes = client.get_topic_attributes(aws_retry=True, TopicArn=arn)["Attributes"]
    except is_boto3_error_code("NotFound"):
        module.fail_json(msg=f"Topic {arn} does not exist")
    except (BotoCoreError, ClientError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't get attributes of topic {arn}")
    return attributes.get(ATTRIBUTE, "") or ""


def set_key(module: AnsibleAWSModule, client: Any, arn: str, key: str) -> None:
    try:
        client.set_topic_attributes(aws_retry=True, TopicArn=arn, AttributeName=ATTRIBUTE, AttributeValue=key)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't set {ATTRIBUTE} of topic {arn}")


def main() -> None:
    argument_spec = dict(
        topic=dict(type="str", required=True, aliases=["name", "topic_arn"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        kms_master_key_id=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["kms_master_key_id"])],
        supports_check_mode=True,
    )
    client = module.client("sns", retry_decorator=AWSRetry.jittered_backoff())

    arn = topic_arn_of(module, client, module.params["topic"])
    before = current_key(module, client, arn)
    after = module.params["kms_master_key_id"] if module.params["state"] == "present" else ""
    changed = before != after

    if changed and not module.check_mode:
        set_key(module, client, arn, after)
    result = {"topic_arn": arn, "kms_master_key_id": after}
    exit_with(module, Outcome(changed, {"kms_master_key_id": before}, {"kms_master_key_id": after}, result))


if __name__ == "__main__":
    main()
