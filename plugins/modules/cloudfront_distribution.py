#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudfront_distribution
version_added: 0.2.0
short_description: A CloudFront distribution from its configuration document, compared where given
description:
  - Create, update or delete an Amazon CloudFront web distribution identified by its caller reference,
    from a C(DistributionConfig) written in the API's own shape.
  - C(community.aws.cloudfront_distribution) compares its whole generated configuration with the one
    CloudFront returns, which holds fields filled in by CloudFront (connection attempts and timeouts,
    legacy TTLs and forwarded values next to a cache policy, origin shield), so it reports a change on every
    run. This module compares only the keys O(config) gives.
  - Deleting disables the distribution first, waits (bounded by O(wait_timeout)) until that is deployed,
    then deletes it, as CloudFront requires. That wait takes minutes on AWS and prints nothing; to show
    progress, disable it first with O(state=disabled) and wait in the playbook (see the examples).
options:
  caller_reference:
    description: The unique reference the distribution was created with; it finds the distribution again.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the distribution exists with O(config); V(absent) that it does not.
      - V(disabled) makes sure an existing distribution is disabled (O(config) is not needed; nothing is
        created). With O(wait), waits until that is deployed.
    type: str
    choices: [present, absent, disabled]
    default: present
  config:
    description:
      - The C(DistributionConfig) as in the CloudFront API (C(Origins), C(DefaultCacheBehavior), C(Comment),
        C(Enabled), ...), without C(CallerReference).
      - A list given as C(Items) without C(Quantity) gets its C(Quantity) counted.
      - Required when O(state=present).
    type: dict
  wait:
    description: Wait until the distribution's changes are deployed after creating, updating or disabling it.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for a deployment (always waited for before a delete).
    type: int
    default: 1800
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ensure CloudFront serves the application over HTTPS only, nothing cached
  healthcare.dr.cloudfront_distribution:
    caller_reference: cf-app-global-prod
    config:
      Comment: cf-app-global-prod
      Enabled: true
      Origins:
        Items:
          - Id: app
            DomainName: app.prod.example.com
            CustomOriginConfig:
              HTTPPort: 80
              HTTPSPort: 443
              OriginProtocolPolicy: https-only
              OriginSslProtocols: {Items: [TLSv1.2]}
      DefaultCacheBehavior:
        TargetOriginId: app
        ViewerProtocolPolicy: redirect-to-https
        CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad  # Managed-CachingDisabled
    tags:
      Environment: prod

- name: Ensure the distribution is gone (disabled, deployed, deleted)
  healthcare.dr.cloudfront_distribution:
    caller_reference: cf-app-global-prod
    state: absent

# The same, with a line per check while the disabled distribution deploys.
- name: Ensure the distribution is disabled
  healthcare.dr.cloudfront_distribution:
    caller_reference: cf-app-global-prod
    state: disabled
  register: disabled

- name: Wait until the disabled distribution is deployed
  community.aws.cloudfront_distribution_info:
    distribution_id: "{{ disabled.distribution.id }}"
    distribution: true
  register: found
  until: found.cloudfront[disabled.distribution.id].Distribution.Status == 'Deployed'
  retries: 60
  delay: 30
  when: disabled.distribution | length > 0

- name: Ensure the distribution is gone
  healthcare.dr.cloudfront_distribution:
    caller_reference: cf-app-global-prod
    state: absent
"""

RETURN = r"""
distribution:
  description: The distribution after the task; empty when absent.
  returned: always
  type: dict
  contains:
    id:
      description: The distribution's id.
      type: str
      sample: E2QWRUHAPOMQZL
    arn:
      description: The distribution's ARN.
      type: str
      sample: arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL
    domain_name:
      description: The C(*.cloudfront.net) name viewers reach it by.
      type: str
      sample: d111111abcdef8.cloudfront.net
    status:
      description: C(InProgress) while a change deploys, then C(Deployed).
      type: str
      sample: Deployed
    distribution_config:
      description: The configuration as CloudFront returns it, keys in snake case.
      type: dict
    tags:
      description: The distribution's tags.
      type: dict
      sample: {"Environment": "prod"}
"""

import copy
from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.healthcare.dr.plugins.module_utils.comparison import differs_where_given
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import sync_tags
from ansible_collections.healthcare.dr.plugins.module_utils.waiting import wait_for


def with_quantities(value: Any) -> Any:
    """``value`` with ``Quantity`` counted for every ``Items`` list that lacks one."""
    if isinstance(value, dict):
        counted = {key: with_quantities(item) for key, item in value.items()}
        if isinstance(counted.get("Items"), list) and "Quantity" not in counted:
            counted["Quantity"] = len(counted["Items"])
        return counted
    if isinstance(value, list):
        return [with_quantities(item) for item in value]
    return value


@AWSRetry.jittered_backoff()
def _list_distributions(client: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator("list_distributions").paginate()
    return [item for page in pages for item in page.get("DistributionList", {}).get("Items", [])]


def find_distribution(module: AnsibleAWSModule, client: Any, reference: str) -> tuple[dict[str, Any], str]:
    """The distribution (with its config) created with ``reference`` and its ETag, or ({}, '')."""
    try:
        for summary in _list_distributions(client):
            found = client.get_distribution(aws_retry=True, Id=summary["Id"])
            if found["Distribution"]["DistributionConfig"].get("CallerReference") == reference:
                return found["Distribution"], found["ETag"]
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't look for the distribution with caller reference {reference}")
    return {}, ""


def get_tags(module: AnsibleAWSModule, client: Any, arn: str) -> dict[str, str]:
    try:
        found = client.list_tags_for_resource(aws_retry=True, Resource=arn)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't list the tags of distribution {arn}")
    return boto3_tag_list_to_ansible_dict(found.get("Tags", {}).get("Items", []))


def sync_distribution_tags(module: AnsibleAWSModule, client: Any, arn: str, current: dict[str, str]) -> bool:
    """Make the distribution's tags what the options say (see :func:`sync_tags`); True when they change."""

    def set_tags(tags: dict[str, Any]) -> None:
        client.tag_resource(aws_retry=True, Resource=arn, Tags={"Items": ansible_dict_to_boto3_tag_list(tags)})

    def unset_tags(keys: list[str]) -> None:
        client.untag_resource(aws_retry=True, Resource=arn, TagKeys={"Items": keys})

    params = module.params
    return sync_tags(
        module, current, params["tags"], params["purge_tags"], set_tags, unset_tags, f"Couldn't tag distribution {arn}"
    )


def wait_deployed(module: AnsibleAWSModule, client: Any, distribution_id: str) -> None:
    def deployed() -> bool:
        try:
            found = client.get_distribution(aws_retry=True, Id=distribution_id)
        except (BotoCoreError, ClientError) as e:
            module.fail_json_aws(e, msg=f"Couldn't read distribution {distribution_id}")
        return found["Distribution"]["Status"] == "Deployed"

    wait_for(module, f"distribution {distribution_id} to be deployed", deployed, module.params["wait_timeout"], 15)


def create(module: AnsibleAWSModule, client: Any, config: dict[str, Any]) -> dict[str, Any]:
    tags = ansible_dict_to_boto3_tag_list(module.params["tags"] or {})
    try:
        if tags:
            created = client.create_distribution_with_tags(
                aws_retry=True, DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": tags}}
            )
        else:
            created = client.create_distribution(aws_retry=True, DistributionConfig=config)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't create the distribution {config['CallerReference']}")
    return created["Distribution"]


def update(module: AnsibleAWSModule, client: Any, distribution_id: str, etag: str, config: dict[str, Any]) -> None:
    try:
        client.update_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag, DistributionConfig=config)
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg=f"Couldn't update distribution {distribution_id}")


def delete(module: AnsibleAWSModule, client: Any, existing: dict[str, Any], etag: str) -> None:
    distribution_id = existing["Id"]
    config = existing["DistributionConfig"]
    if config.get("Enabled"):
        update(module, client, distribution_id, etag, dict(config, Enabled=False))
    if config.get("Enabled") or existing.get("Status") != "Deployed":
        wait_deployed(module, client, distribution_id)
    try:
        etag = client.get_distribution(aws_retry=True, Id=distribution_id)["ETag"]
        client.delete_distribution(aws_retry=True, Id=distribution_id, IfMatch=etag)
    except is_boto3_error_code("NoSuchDistribution"):
        return
    except (BotoCoreError, ClientError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Couldn't delete distribution {distribution_id}")


def describe(module: AnsibleAWSModule, client: Any, distribution: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    if not distribution:
        return {}
    return {
        "id": distribution["Id"],
        "arn": distribution["ARN"],
        "domain_name": distribution["DomainName"],
        "status": distribution["Status"],
        "distribution_config": camel_dict_to_snake_dict(distribution["DistributionConfig"]),
        "tags": tags,
    }


# --- states: plan (what is and what is wanted), predict (check mode), apply ---------------------


def read_back(module: AnsibleAWSModule, client: Any, reference: str) -> dict[str, Any]:
    """The distribution as it is now, in the module's return shape."""
    existing, _etag = find_distribution(module, client, reference)
    return describe(module, client, existing, get_tags(module, client, existing["ARN"]))


def ensure_absent(module: AnsibleAWSModule, client: Any, existing: dict[str, Any], etag: str, before: dict[str, Any]) -> Outcome:
    changed = bool(existing)
    if changed and not module.check_mode:
        delete(module, client, existing, etag)
    return Outcome(changed, before, {}, {"distribution": {}})


def ensure_disabled(module: AnsibleAWSModule, client: Any, existing: dict[str, Any], etag: str, before: dict[str, Any]) -> Outcome:
    if not existing or not existing["DistributionConfig"].get("Enabled"):
        return Outcome(False, before, before, {"distribution": before})
    if module.check_mode:
        after = dict(before, distribution_config=dict(before["distribution_config"], enabled=False))
        return Outcome(True, before, after, {"distribution": after})
    update(module, client, existing["Id"], etag, dict(existing["DistributionConfig"], Enabled=False))
    if module.params["wait"]:
        wait_deployed(module, client, existing["Id"])
    after = read_back(module, client, module.params["caller_reference"])
    return Outcome(True, before, after, {"distribution": after})


def ensure_created(module: AnsibleAWSModule, client: Any, wanted: dict[str, Any], before: dict[str, Any]) -> Outcome:
    if module.check_mode:
        after = {"distribution_config": camel_dict_to_snake_dict(wanted), "tags": module.params["tags"] or {}}
        return Outcome(True, before, after, {"distribution": after})
    created = create(module, client, wanted)
    if module.params["wait"]:
        wait_deployed(module, client, created["Id"])
    after = read_back(module, client, wanted["CallerReference"])
    return Outcome(True, before, after, {"distribution": after})


def ensure_updated(
    module: AnsibleAWSModule, client: Any, existing: dict[str, Any], etag: str, wanted: dict[str, Any], before: dict[str, Any]
) -> Outcome:
    config_changed = differs_where_given(existing["DistributionConfig"], wanted)
    if config_changed and not module.check_mode:
        update(module, client, existing["Id"], etag, wanted)
    tags_changed = sync_distribution_tags(module, client, existing["ARN"], before["tags"])
    changed = config_changed or tags_changed
    if not changed or module.check_mode:
        return Outcome(changed, before, before, {"distribution": before})
    if config_changed and module.params["wait"]:
        wait_deployed(module, client, existing["Id"])
    after = read_back(module, client, wanted["CallerReference"])
    return Outcome(True, before, after, {"distribution": after})


def ensure_present(module: AnsibleAWSModule, client: Any, existing: dict[str, Any], etag: str, before: dict[str, Any]) -> Outcome:
    reference = module.params["caller_reference"]
    wanted = dict(with_quantities(copy.deepcopy(module.params["config"])), CallerReference=reference)
    if not existing:
        return ensure_created(module, client, wanted, before)
    return ensure_updated(module, client, existing, etag, wanted, before)


STATES = {"present": ensure_present, "absent": ensure_absent, "disabled": ensure_disabled}


def main() -> None:
    argument_spec = dict(
        caller_reference=dict(type="str", required=True),
        state=dict(type="str", choices=list(STATES), default="present"),
        config=dict(type="dict"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["config"])],
        supports_check_mode=True,
    )
    client = module.client("cloudfront", retry_decorator=AWSRetry.jittered_backoff())

    existing, etag = find_distribution(module, client, module.params["caller_reference"])
    tags = get_tags(module, client, existing["ARN"]) if existing else {}
    before = describe(module, client, existing, tags)
    exit_with(module, STATES[module.params["state"]](module, client, existing, etag, before))


if __name__ == "__main__":
    main()
