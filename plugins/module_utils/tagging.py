# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Tag synchronisation shared by every module of the collection that manages tags.

Tags are compared the amazon.aws way (:func:`compare_aws_tags`): ``wanted`` of
None leaves the tags alone, ``purge`` removes the keys ``wanted`` does not name,
and AWS-reserved ``aws:`` keys are never removed. Each service writes tags
through calls of its own, so a module gives :func:`sync_tags` two functions,
``set_tags(dict)`` and ``unset_tags(list of keys)``; :func:`ec2_tag_writers`
makes them for an EC2 resource (``CreateTags``/``DeleteTags``).

amazon.aws's ``ensure_ec2_tags`` is not used: it describes the tags again
(through DescribeTags) although the modules already hold them, and with
``purge_tags`` and empty ``tags`` it would also try to remove ``aws:`` keys.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

SetTags = Callable[[Dict[str, str]], Any]
UnsetTags = Callable[[List[str]], Any]


def tag_changes(
    current: Dict[str, str], wanted: Optional[Dict[str, Any]], purge: bool
) -> Tuple[Dict[str, Any], List[str]]:
    """(tags to set, tag keys to unset) so that ``current`` becomes ``wanted``; nothing when ``wanted`` is None."""
    if wanted is None:
        return {}, []
    return compare_aws_tags(current, wanted, purge_tags=purge)


def tags_after(current: Dict[str, str], wanted: Optional[Dict[str, Any]], purge: bool) -> Dict[str, Any]:
    """The tags a resource carries once :func:`sync_tags` has run (check mode's prediction, diff's after)."""
    to_set, to_unset = tag_changes(current, wanted, purge)
    result = {key: value for key, value in current.items() if key not in to_unset}
    result.update(to_set)
    return result


def apply_tag_changes(to_set: Dict[str, Any], to_unset: List[str], set_tags: SetTags, unset_tags: UnsetTags) -> None:
    """Write a change :func:`tag_changes` decided: keys to unset first, then tags to set; no call for nothing."""
    if to_unset:
        unset_tags(to_unset)
    if to_set:
        set_tags(to_set)


def sync_tags(
    module: Any,
    current: Dict[str, str],
    wanted: Optional[Dict[str, Any]],
    purge: bool,
    set_tags: SetTags,
    unset_tags: UnsetTags,
    error_msg: str,
) -> bool:
    """Make the tags ``current`` into ``wanted``; True when they change (or would, in check mode).

    Writes nothing in check mode. A boto3 error of ``set_tags`` or
    ``unset_tags`` fails the module with ``error_msg``.
    """
    to_set, to_unset = tag_changes(current, wanted, purge)
    if not to_set and not to_unset:
        return False
    if module.check_mode:
        return True
    try:
        apply_tag_changes(to_set, to_unset, set_tags, unset_tags)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=error_msg)
    return True


def ec2_tag_writers(client: Any, resource_id: str) -> Tuple[SetTags, UnsetTags]:
    """``(set_tags, unset_tags)`` for the EC2 resource ``resource_id``, retried by the client's decorator."""

    def set_tags(tags: Dict[str, Any]) -> None:
        client.create_tags(aws_retry=True, Resources=[resource_id], Tags=ansible_dict_to_boto3_tag_list(tags))

    def unset_tags(keys: List[str]) -> None:
        client.delete_tags(aws_retry=True, Resources=[resource_id], Tags=[{"Key": key} for key in keys])

    return set_tags, unset_tags
