#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: kms_key_once
version_added: 0.1.0
short_description: Make a KMS key and its alias exactly once, even when an answer is lost
description:
  - >-
    Ensures the alias O(alias) names a KMS key: the key it already names (in any state, so that
    M(amazon.aws.kms_key) can cancel a scheduled deletion), else a key that is not pending deletion and
    carries the tag C(Name=)O(name) (made by an earlier call whose answer was lost before its alias was),
    else a new key made with C(CreateKey) and its O(tags).
  - >-
    KMS takes no idempotency token for C(CreateKey), and botocore sends a request again when its answer is
    lost on the way back, which on AWS makes a second key. So C(CreateKey) and C(CreateAlias) are sent with
    one botocore attempt each (throttling and 5xx answers are still retried, since nothing was made), and
    after a lost answer the key is looked up by its C(Name) tag before it is asked for again.
  - >-
    Makes only the key and the alias; its description, policy, rotation and tags are
    M(amazon.aws.kms_key)'s to set afterwards, by the same alias.
author:
  - healthcare.dr maintainers (@healthcare-dr)
options:
  alias:
    description:
      - The key's alias; the C(alias/) prefix is optional.
    type: str
    required: true
  name:
    description:
      - The value of the key's C(Name) tag, which finds a key made without its alias. Defaults to the alias
        without its C(alias/) prefix.
    type: str
  tags:
    description:
      - Tags a new key is made with (C(Name) is added). An existing key's tags are left as they are.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode.
  - >-
    The look-up by tag lists the region's keys and reads each one's tags; it runs only when the alias
    names no key (the first deploy, or after a lost answer).
"""

EXAMPLES = r"""
- name: Make the region's Aurora key once
  healthcare.dr.kms_key_once:
    alias: alias/kms-aurora-us-east-1-dev
    tags:
      Project: healthcare-dr
      ManagedBy: healthcare.dr

- name: Ensure the key is rotated and described (it exists now, under its alias)
  amazon.aws.kms_key:
    alias: alias/kms-aurora-us-east-1-dev
    description: Aurora storage encryption
    enable_key_rotation: true
"""

RETURN = r"""
key_arn:
  description: The key's ARN; absent in check mode when the key would be made.
  returned: when the key exists
  type: str
  sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
key_id:
  description: The key's ID.
  returned: when the key exists
  type: str
  sample: 1234abcd-12ab-34cd-56ef-1234567890ab
made:
  description: What the task made, of C(key) and C(alias).
  returned: always
  type: list
  elements: str
  sample: [key, alias]
"""

from typing import Any, Dict, Optional

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.calls import create_once
from ansible_collections.healthcare.dr.plugins.module_utils.calls import single_attempt_client
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


def key_of_alias(client: Any, module: AnsibleAWSModule, alias: str) -> Optional[Dict[str, Any]]:
    """The metadata of the key ``alias`` names, or None."""
    answer = aws_call(module, f"Couldn't read the key of {alias}", client.describe_key, missing=["NotFoundException"],
                      KeyId=alias)  # fmt: skip
    return answer["KeyMetadata"] if answer else None


@AWSRetry.jittered_backoff()
def list_keys(client: Any) -> list:
    return client.get_paginator("list_keys").paginate().build_full_result()["Keys"]


def key_named(client: Any, module: AnsibleAWSModule, name: str) -> Optional[Dict[str, Any]]:
    """The metadata of a key tagged ``Name=name`` that is not pending deletion (the oldest, if several), or None."""
    found = []
    try:
        keys = list_keys(client)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Couldn't list the region's KMS keys")
    for key in keys:
        metadata = aws_call(module, f"Couldn't read KMS key {key['KeyId']}", client.describe_key,
                            missing=["NotFoundException"], KeyId=key["KeyId"])  # fmt: skip
        if not metadata or metadata["KeyMetadata"]["KeyState"] in ("PendingDeletion", "PendingReplicaDeletion"):
            continue
        if metadata["KeyMetadata"].get("KeyManager") != "CUSTOMER":
            continue
        tags = aws_call(module, f"Couldn't read the tags of KMS key {key['KeyId']}", client.list_resource_tags,
                        missing=["NotFoundException"], KeyId=key["KeyId"])  # fmt: skip
        if any(tag["TagKey"] == "Name" and tag["TagValue"] == name for tag in (tags or {}).get("Tags", [])):
            found.append(metadata["KeyMetadata"])
    return min(found, key=lambda metadata: metadata["CreationDate"]) if found else None


def make_key(once: Any, client: Any, module: AnsibleAWSModule, name: str, tags: Dict[str, str]) -> Dict[str, Any]:
    try:
        return create_once(
            lambda: once.create_key(aws_retry=True, Tags=ansible_dict_to_boto3_tag_list(tags, "TagKey", "TagValue"))[
                "KeyMetadata"
            ],
            lambda: key_named(client, module, name),
        )
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't make the KMS key {name}")


def make_alias(once: Any, client: Any, module: AnsibleAWSModule, alias: str, key: Dict[str, Any]) -> None:
    """``alias`` names ``key``; a retried ``CreateAlias`` that meets the alias it made counts as made."""
    try:
        create_once(
            lambda: once.create_alias(aws_retry=True, AliasName=alias, TargetKeyId=key["KeyId"]),
            lambda: (key_of_alias(client, module, alias) or {}).get("KeyId") == key["KeyId"],
        )
    except is_boto3_error_code("AlreadyExistsException"):
        named = key_of_alias(client, module, alias) or {}
        if named.get("KeyId") != key["KeyId"]:
            module.fail_json(msg=f"{alias} names KMS key {named.get('KeyId')}, not {key['KeyId']}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't point {alias} at KMS key {key['KeyId']}")


def ensure_key(client: Any, once: Any, module: AnsibleAWSModule, alias: str, name: str, tags: Dict[str, str]) -> Outcome:
    key = key_of_alias(client, module, alias)
    if key:
        return Outcome(False, {"alias": alias, "key_id": key["KeyId"]}, {"alias": alias, "key_id": key["KeyId"]},
                       {"key_arn": key["Arn"], "key_id": key["KeyId"], "made": []})  # fmt: skip
    key = key_named(client, module, name)
    made = ["alias"] if key else ["key", "alias"]
    if module.check_mode:
        result = {"made": made, **({"key_arn": key["Arn"], "key_id": key["KeyId"]} if key else {})}
        return Outcome(True, {"alias": None}, {"alias": alias}, result)
    if not key:
        key = make_key(once, client, module, name, tags)
    make_alias(once, client, module, alias, key)
    after = {"alias": alias, "key_id": key["KeyId"]}
    return Outcome(True, {"alias": None}, after, {"key_arn": key["Arn"], "key_id": key["KeyId"], "made": made})


def main() -> None:
    argument_spec = dict(
        alias=dict(type="str", required=True),
        name=dict(type="str"),
        tags=dict(type="dict", default={}),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    alias = module.params["alias"]
    alias = alias if alias.startswith("alias/") else f"alias/{alias}"
    name = module.params["name"] or alias[len("alias/"):]
    tags = {str(key): str(value) for key, value in module.params["tags"].items()}
    tags["Name"] = name
    retry = AWSRetry.jittered_backoff()
    client = module.client("kms", retry_decorator=retry)
    once = single_attempt_client(module, "kms", retry_decorator=retry)
    exit_with(module, ensure_key(client, once, module, alias, name, tags))


if __name__ == "__main__":
    main()
