# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.plugin_utils.cidr import cidrs_overlapping, subnet_cidr, subnet_cidrs

# Each filter is documented in the file named after it beside this one (subnet_cidr.yml,
# subnet_cidrs.yml, cidrs_overlapping.yml), as ansible-doc reads them.


class FilterModule:
    def filters(self):
        return {
            "subnet_cidr": subnet_cidr,
            "subnet_cidrs": subnet_cidrs,
            "cidrs_overlapping": cidrs_overlapping,
        }
