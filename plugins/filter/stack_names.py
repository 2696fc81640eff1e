# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.module_utils.names import stack_names

DOCUMENTATION = r"""
name: stack_names
version_added: 0.1.0
short_description: Every resource name of the stack in one region, as one map
description:
  - Returns a dictionary from a key (C(vpc), C(aurora_cluster), C(load_balancer), ...) to the name of that
    resource in the region, for the environment suffix; the pair's global resources (C(aurora_global_cluster),
    C(hosted_zone), C(alarms_topic), ...) are in every region's map.
  - This is the one place names are made (C(plugins/module_utils/names.py)); roles, playbooks, molecule
    verifications and tests all read it. The collection sets C(dr_names) to this region's map and
    C(dr_peer_names) to the peer's.
  - Names with a number or a chosen part are C(%) patterns, filled with the C(format) filter
    (C(aurora_instance), C(nat_gateway), C(subnet), C(route_table_app), C(bucket)).
  - S3 bucket names (C(data_bucket), C(access_log_bucket), C(bucket), C(audit_bucket), C(audit_log_bucket))
    are followed by C(-) and the account id.
  - Load balancer and target group names are fitted to ELB's 32 characters (C(healthcare.dr.elb_name)).
  - C(failover_domain) is the default hosted zone of dns_failover (C(<suffix>.healthcare-dr.example.com)),
    C(failover_record) the default record as a C(%) pattern filled with the zone in use (C(app.%s));
    C(s3_replication_rule) names the S3 replication rule into the region's bucket.
options:
  _input:
    description: The AWS region.
    type: str
    required: true
  suffix:
    description: The environment suffix (C(dr_environment_suffix)).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Name the region's Aurora cluster and its second instance
  ansible.builtin.debug:
    msg:
      - "{{ (dr_region | healthcare.dr.stack_names(dr_environment_suffix)).aurora_cluster }}"
      - "{{ dr_names.aurora_instance | format(2) }}"
  # => aurora-cluster-us-east-1-dev, aurora-instance-2-us-east-1-dev
"""

RETURN = r"""
_value:
  description: Resource key to name.
  type: dict
"""


class FilterModule:
    def filters(self):
        return {"stack_names": stack_names}
