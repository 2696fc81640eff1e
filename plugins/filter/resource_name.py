# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.module_utils.names import resource_name

DOCUMENTATION = r"""
name: resource_name
version_added: 0.1.0
short_description: Name a healthcare.dr resource by the collection's naming rule
description:
  - Builds C({service}-{purpose}-{region}-{suffix}), for example C(vpc-main-us-east-1-dev).
  - Global resources (global cluster, hosted zone, SNS topic) use C(global) as the region.
  - Every part must be lower-case letters, digits or inner hyphens, so the name is valid
    for the strictest AWS service it is used with (S3 buckets, RDS identifiers).
  - The stack's own names are not built with this filter but read from the name map, C(healthcare.dr.stack_names)
    (C(dr_names), C(dr_peer_names)), the one place they are made; this filter is the naming rule for anything else.
options:
  _input:
    description: The service part, such as C(vpc), C(aurora) or C(s3).
    type: str
    required: true
  purpose:
    description: What the resource is for, such as C(main), C(cluster) or C(data).
    type: str
    required: true
  region:
    description: The AWS region, or C(global).
    type: str
    required: true
  suffix:
    description: The environment suffix (C(dr_environment_suffix)).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Name a resource of your own by the collection's rule
  ansible.builtin.debug:
    msg: "{{ 'sqs' | healthcare.dr.resource_name('audit', 'us-east-1', 'dev') }}"
  # => sqs-audit-us-east-1-dev

- name: Read a resource of the stack from the name map instead
  ansible.builtin.debug:
    msg: "{{ dr_names.vpc }}"
  # => vpc-main-us-east-1-dev
"""

RETURN = r"""
_value:
  description: The resource name.
  type: str
"""


class FilterModule:
    def filters(self):
        return {"resource_name": resource_name}
