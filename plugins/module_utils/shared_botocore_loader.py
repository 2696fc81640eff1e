# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One botocore data loader for every boto3 session of a long-lived interpreter.

botocore gives each session its own data loader, so every module run parses the
service model, the endpoint rules and ``endpoints.json`` again (0.05 to 0.4 s per
client, EC2's model being the largest). Under the plain strategy each module is a
process of its own and nothing can be shared; under Mitogen's strategy one warm
interpreter runs task after task, and the ``healthcare.dr.mitogen_linear`` strategy
calls :func:`share` there once. The loader only reads botocore's own data files and
keeps what it parsed keyed by the data path, so sharing it changes no result.
"""

from __future__ import annotations

import functools


def share():
    """Make botocore's sessions in this interpreter share a loader per data path; idempotent."""
    import botocore.loaders
    import botocore.session

    if getattr(botocore.session.create_loader, "healthcare_dr_shared", False):
        return False
    shared = functools.lru_cache(maxsize=None)(botocore.loaders.create_loader)
    shared.healthcare_dr_shared = True
    botocore.session.create_loader = shared
    return True
