# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Helpers the EventBridge modules (``eventbridge_bus``, ``eventbridge_rule``) share.

EventBridge tags buses and rules through the same ARN-based calls
(``ListTagsForResource``, ``TagResource``, ``UntagResource``); both modules read
and reconcile tags through :func:`get_tags` and :func:`sync_resource_tags` (the
collection's :func:`sync_tags` with EventBridge's calls).
"""

from __future__ import annotations

from typing import Any

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthcare.dr.plugins.module_utils.tagging import sync_tags


def get_tags(module: Any, client: Any, arn: str) -> dict[str, str]:
    """The tags of an EventBridge resource as a plain dict ({} when it has none)."""
    try:
        response = client.list_tags_for_resource(aws_retry=True, ResourceARN=arn)
    except is_boto3_error_code("ResourceNotFoundException"):
        return {}
    except (
        botocore.exceptions.ClientError,
        botocore.exceptions.BotoCoreError,
    ) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't list tags of {arn}")
    return boto3_tag_list_to_ansible_dict(response.get("Tags", []))


def sync_resource_tags(
    module: Any, client: Any, arn: str, current: dict[str, str], wanted: dict[str, str] | None, purge: bool
) -> bool:
    """Make the tags of ``arn`` match ``wanted`` (see :func:`sync_tags`); True when something changed."""

    def set_tags(tags: dict[str, Any]) -> None:
        client.tag_resource(aws_retry=True, ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(tags))

    def unset_tags(keys: list[str]) -> None:
        client.untag_resource(aws_retry=True, ResourceARN=arn, TagKeys=keys)

    return sync_tags(module, current, wanted, purge, set_tags, unset_tags, f"Couldn't update tags of {arn}")
