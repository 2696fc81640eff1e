# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Helpers the EventBridge modules (``eventbridge_bus``, ``eventbridge_rule``) share.

EventBridge tags buses and rules through the same ARN-based calls
(``ListTagsForResource``, ``TagResource``, ``UntagResource``); both modules read
and reconcile tags through :func:`get_tags` and :func:`ensure_tags`.
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
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


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


def tags_to_change(
    current: dict[str, str], wanted: dict[str, str] | None, purge: bool
) -> tuple[dict[str, str], list[str]]:
    """(tags to set, tag keys to remove) to go from ``current`` to ``wanted``.

    ``wanted`` of None means "leave tags alone".
    """
    if wanted is None:
        return {}, []
    return compare_aws_tags(current, wanted, purge_tags=purge)


def ensure_tags(
    module: Any, client: Any, arn: str, current: dict[str, str], wanted: dict[str, str] | None, purge: bool
) -> bool:
    """Make the tags of ``arn`` match ``wanted``; True when something changed.

    Honours check mode: decides without writing.
    """
    to_set, to_remove = tags_to_change(current, wanted, purge)
    if not to_set and not to_remove:
        return False
    if module.check_mode:
        return True
    try:
        if to_remove:
            client.untag_resource(aws_retry=True, ResourceARN=arn, TagKeys=to_remove)
        if to_set:
            client.tag_resource(aws_retry=True, ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(to_set))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't update tags of {arn}")
    return True


def merged_tags(current: dict[str, str], wanted: dict[str, str] | None, purge: bool) -> dict[str, str]:
    """The tags a resource will carry once :func:`ensure_tags` has run (for diff and check mode)."""
    to_set, to_remove = tags_to_change(current, wanted, purge)
    result = {key: value for key, value in current.items() if key not in to_remove}
    result.update(to_set)
    return result
