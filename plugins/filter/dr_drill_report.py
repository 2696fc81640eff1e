# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.plugin_utils.drill_report import drill_html, drill_index_html

# Each filter is documented in the file named after it beside this one
# (dr_drill_html.yml, dr_drill_index_html.yml), as ansible-doc reads them.


class FilterModule:
    def filters(self):
        return {
            "dr_drill_html": drill_html,
            "dr_drill_index_html": drill_index_html,
        }
