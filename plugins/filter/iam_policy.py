# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.healthcare.dr.plugins.plugin_utils import iam_policies

DOCUMENTATION = r"""
name: iam_policy
version_added: 0.1.0
short_description: The deployer or operator IAM policy of the stack, for one account, suffix and pair of regions
description:
  - Returns the policy as a list of IAM policy documents, each within the 6,144 characters of a customer managed
    policy; attach all of them.
  - C(deployer) grants what C(site.yml), C(destroy.yml) and each role's C(--tags) run call; C(operator) what
    C(dr_status.yml), C(switchover.yml), C(failover.yml), C(rejoin.yml) and C(dr_drill.yml) call, with no delete,
    no IAM write and no KMS key administration.
  - Actions are named exactly; resources are scoped to the account, the regions and the stack's names
    (C({service}-{purpose}-{region}-{suffix})) where the service allows it, and to the tag C(ManagedBy=healthcare.dr)
    for KMS keys. The source and the reason for each statement are in C(files/iam/policies.yml) and
    C(docs/permissions.md).
options:
  _input:
    description: C(deployer) or C(operator).
    type: str
    required: true
  account:
    description: The 12-digit AWS account id.
    type: str
    required: true
  suffix:
    description: The environment suffix (C(dr_environment_suffix)).
    type: str
    required: true
  regions:
    description: The regions of the pair.
    type: list
    elements: str
    required: true
  partition:
    description: The AWS partition.
    type: str
    default: aws
"""

EXAMPLES = r"""
- name: Write the deployer policy's documents for the pair
  ansible.builtin.copy:
    content: "{{ item | to_nice_json }}"
    dest: "reports/iam/{{ dr_names.iam_policy | format('deployer', index + 1) }}.json"
    mode: "0644"
  loop: "{{ 'deployer' | healthcare.dr.iam_policy('123456789012', 'prod', ['us-east-1', 'us-west-2']) }}"
  loop_control:
    index_var: index
"""

RETURN = r"""
_value:
  description: The policy documents (C(Version), C(Statement)), in order.
  type: list
  elements: dict
"""


def iam_policy(policy: str, account: str, suffix: str, regions: list[str], partition: str = "aws") -> list[dict]:
    try:
        return iam_policies.documents(policy, str(account), suffix, list(regions), partition)
    except ValueError as e:
        raise AnsibleFilterError(f"iam_policy: {e}") from e


class FilterModule:
    def filters(self):
        return {"iam_policy": iam_policy}
