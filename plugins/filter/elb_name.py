# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.module_utils.names import elb_name

DOCUMENTATION = r"""
name: elb_name
version_added: 0.1.0
short_description: Fit a resource name into the 32 characters of an ELB load balancer or target group name
description:
  - Returns the name unchanged when it has at most 32 characters.
  - A longer name is cut to 23 characters (trailing hyphens dropped), then C(-) and the first 8 hex digits
    of the SHA-1 of the whole name are added, so the result is the same on every run and for every role
    that looks the load balancer up by name.
  - The name map (C(healthcare.dr.stack_names), C(dr_names)) applies it to the stack's load balancer and target group names,
    which the roles read from there; this filter is for names of your own.
options:
  _input:
    description: The full name, usually from C(healthcare.dr.resource_name).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Fit a load balancer name of your own
  ansible.builtin.debug:
    msg: "{{ 'alb' | healthcare.dr.resource_name('admin', dr_region, dr_environment_suffix) | healthcare.dr.elb_name }}"

- name: The stack's load balancer, already fitted, from the name map
  ansible.builtin.debug:
    msg: "{{ dr_names.load_balancer }}"
"""

RETURN = r"""
_value:
  description: The name, at most 32 characters.
  type: str
"""


class FilterModule:
    def filters(self):
        return {"elb_name": elb_name}
