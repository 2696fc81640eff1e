# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.plugin_utils.cidr import cidrs_overlapping, subnet_cidr, subnet_cidrs

DOCUMENTATION = r"""
name: subnet_cidr
version_added: 0.1.0
short_description: The N-th subnet of a CIDR block
description:
  - Splits the input block into subnets C(newbits) longer and returns the one at C(index),
    like Terraform's C(cidrsubnet).
  - The same plugin file also provides C(healthcare.dr.subnet_cidrs) (the subnets at a list of
    indexes) and C(healthcare.dr.cidrs_overlapping) (the pairs of blocks in a list that overlap).
options:
  _input:
    description: The block to split, such as C(10.0.0.0/16).
    type: str
    required: true
  newbits:
    description: How many bits longer the subnets' prefix is.
    type: int
    required: true
  index:
    description: Which subnet, from 0.
    type: int
    required: true
"""

EXAMPLES = r"""
- name: Show the third /24 of the VPC
  ansible.builtin.debug:
    msg: "{{ '10.0.0.0/16' | healthcare.dr.subnet_cidr(8, 2) }}"   # => 10.0.2.0/24
"""

RETURN = r"""
_value:
  description: The subnet in CIDR notation.
  type: str
"""


class FilterModule:
    def filters(self):
        return {
            "subnet_cidr": subnet_cidr,
            "subnet_cidrs": subnet_cidrs,
            "cidrs_overlapping": cidrs_overlapping,
        }
