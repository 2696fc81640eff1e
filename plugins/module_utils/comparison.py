# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Semantic comparison of AWS documents (policies, configurations, bodies).

AWS and the emulator echo documents back with keys reordered, one-element lists
collapsed to scalars and defaults filled in. Modules compare what they want
with what exists through these helpers so that a second run is never changed.
"""

from __future__ import annotations

import json
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies


def as_document(value: Any) -> Any:
    """Return ``value`` parsed when it is a JSON string, else unchanged."""
    if isinstance(value, (str, bytes)):
        return json.loads(value) if value else {}
    return value


def policies_differ(current: Any, wanted: Any) -> bool:
    """True when two IAM-style policies grant different things.

    Either side may be a JSON string or a dict; statement order, key order and
    single-item-versus-list forms do not count as differences.
    """
    current = as_document(current)
    wanted = as_document(wanted)
    if not current or not wanted:
        return bool(current) != bool(wanted)
    return compare_policies(current, wanted)


def canonical(value: Any) -> Any:
    """A form of ``value`` in which dict key order does not matter.

    Lists keep their order (order is meaningful in most AWS documents, such as
    dashboard widgets); dicts are rebuilt with sorted keys.
    """
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def documents_differ(current: Any, wanted: Any) -> bool:
    """True when two JSON documents differ other than in key order."""
    return canonical(as_document(current)) != canonical(as_document(wanted))


def differs_where_given(current: Any, wanted: Any) -> bool:
    """True when ``wanted`` says something ``current`` does not.

    For configurations AWS echoes back with every default filled in: only the
    keys ``wanted`` gives are compared, recursively; lists must have the same
    length and their items are compared in order the same way.
    """
    if isinstance(wanted, dict):
        if not isinstance(current, dict):
            return True
        return any(key not in current or differs_where_given(current[key], value) for key, value in wanted.items())
    if isinstance(wanted, list):
        if not isinstance(current, list) or len(current) != len(wanted):
            return True
        return any(differs_where_given(have, want) for have, want in zip(current, wanted))
    return current != wanted
