# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""The one return shape of every ``ensure_*`` function of the collection's modules.

An ``ensure_<state>`` function decides, predicts (check mode) and applies one
state and returns an :class:`Outcome`:

- ``changed``: whether the run changed something (would, in check mode);
- ``before`` and ``after``: what diff mode shows;
- ``result``: the module's return values other than ``changed`` and ``diff``.

``main()`` then ends with :func:`exit_with`, which adds ``diff`` only when diff
mode is on, so every module reports ``changed``, its values and its diff the
same way.
"""

from __future__ import annotations

from typing import Any, Dict, NamedTuple


class Outcome(NamedTuple):
    """What an ``ensure_*`` function did (or would do, in check mode)."""

    changed: bool
    before: Any
    after: Any
    result: Dict[str, Any]


def exit_with(module: Any, outcome: Outcome) -> None:
    """``module.exit_json`` with ``changed``, the outcome's values and, in diff mode, its diff."""
    values: Dict[str, Any] = dict(outcome.result, changed=outcome.changed)
    if module._diff:
        values["diff"] = {"before": outcome.before, "after": outcome.after}
    module.exit_json(**values)
