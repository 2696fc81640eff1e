# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.plugin_utils.cidr import cidr_is_valid

DOCUMENTATION = r"""
name: ipv4_cidr
version_added: 0.1.0
short_description: Is the value an IPv4 network in CIDR notation
description:
  - True for a string such as C(10.0.0.0/16): an IPv4 address, a prefix length, and no host bits set.
options:
  _input:
    description: The value to test.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Refuse an ingress block that is not a CIDR
  ansible.builtin.assert:
    that: network_alb_ingress_cidrs | reject('healthcare.dr.ipv4_cidr') | list | length == 0
"""

RETURN = r"""
_value:
  description: Whether the value is an IPv4 CIDR block.
  type: bool
"""


class TestModule:
    def tests(self):
        return {"ipv4_cidr": cidr_is_valid}
