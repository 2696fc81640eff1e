# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.plugin_utils.cidr import cidr_is_valid


class TestModule:
    def tests(self):
        return {"ipv4_cidr": cidr_is_valid}
