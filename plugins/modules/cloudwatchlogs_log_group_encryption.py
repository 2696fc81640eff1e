#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudwatchlogs_log_group_encryption
version_added: 0.1.0
short_description: Encrypt a CloudWatch Logs log group with a KMS key
description:
  - Associate a KMS key with an existing CloudWatch Logs log group (C(AssociateKmsKey)), replace it, or
    remove it (C(DisassociateKmsKey)).
  - C(amazon.aws.cloudwatchlogs_log_group) passes O(kms_key_id) only when it creates a group, so a group made
    before, or by AWS itself (a Lambda function's C(/aws/lambda/...) group), stays unencrypted; use this
    module after it.
  - Data already in the group stays encrypted with the key it was written with; new data uses the new key.
  - The group must exist.
options:
  log_group_name:
    description:
      - The log group's name.
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) makes the group use O(kms_key_id).
      - V(absent) removes the group's KMS key (CloudWatch Logs then encrypts it with its own keys).
    type: str
    choices: [present, absent]
    default: present
  kms_key_id:
    description:
      - The ARN of the KMS key (CloudWatch Logs takes no alias or bare key id here).
      - The key policy must let C(logs.<region>.amazonaws.com) use the key for this group, with the
        C(kms:EncryptionContext:aws:logs:arn) condition; otherwise AWS refuses the association.
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
- name: Ensure the function's log group exists
  amazon.aws.cloudwatchlogs_log_group:
    log_group_name: /aws/lambda/lambda-app-us-east-1-dev
    retention: 365

- name: Ensure the function's log group is encrypted with the region's logs key
  healthcare.dr.cloudwatchlogs_log_group_encryption:
    log_group_name: /aws/lambda/lambda-app-us-east-1-dev
    kms_key_id: arn:aws:kms:us-east-1:123456789012:key/0c4a0ad1-6f5e-4c0a-9d46-1b0b1f1e7e01

- name: Ensure the group no longer uses a customer managed key
  healthcare.dr.cloudwatchlogs_log_group_encryption:
    log_group_name: /aws/lambda/lambda-app-us-east-1-dev
    state: absent
"""

RETURN = r"""
log_group_arn:
  description: ARN of the log group.
  returned: always
  type: str
  sample: arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/lambda-app-us-east-1-dev
kms_key_id:
  description: The KMS key the group uses after the task; empty when it has none.
  returned: always
  type: str
  sample: arn:aws:kms:us-east-1:123456789012:key/0c4a0ad1-6f5e-4c0a-9d46-1b0b1f1e7e01
"""

from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


@AWSRetry.jittered_backoff()
def _describe(client: Any, name: str) -> list[dict[str, Any]]:
    paginator = client.get_paginator("describe_log_groups")
    return paginator.paginate(logGroupNamePrefix=name).build_full_result().get("logGroups", [])


def describe_log_group(module: AnsibleAWSModule, client: Any, name: str) -> dict[str, Any]:
    """The group named exactly ``name``; fails when there is none."""
    try:
        groups = _describe(client, name)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't describe log group {name}")
    for group in groups:
        if group["logGroupName"] == name:
            return group
    module.fail_json(msg=f"Log group {name} does not exist")


def set_key(module: AnsibleAWSModule, client: Any, name: str, key: str) -> None:
    try:
        if key:
            client.associate_kms_key(aws_retry=True, logGroupName=name, kmsKeyId=key)
        else:
            client.disassociate_kms_key(aws_retry=True, logGroupName=name)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't {'associate' if key else 'disassociate'} the KMS key of log group {name}")


def main() -> None:
    argument_spec = dict(
        log_group_name=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        kms_key_id=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["kms_key_id"])],
        supports_check_mode=True,
    )
    client = module.client("logs", retry_decorator=AWSRetry.jittered_backoff())

    name = module.params["log_group_name"]
    group = describe_log_group(module, client, name)
    before = group.get("kmsKeyId") or ""
    after = module.params["kms_key_id"] if module.params["state"] == "present" else ""
    changed = before != after

    if changed and not module.check_mode:
        set_key(module, client, name, after)
    result = {"log_group_arn": group.get("arn", "").removesuffix(":*"), "kms_key_id": after}
    exit_with(module, Outcome(changed, {"kms_key_id": before}, {"kms_key_id": after}, result))


if __name__ == "__main__":
    main()
