# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
name: default
type: stdout
version_added: 0.1.0
short_description: ansible.builtin.default's output, without the upstream notices nobody running this collection can act on
description:
  - Prints exactly what C(ansible.builtin.default) prints, except the module warnings and deprecation notices
    listed in C(ACKNOWLEDGED) below, which amazon.aws 10 emits on every call of a module whatever the task sets
    (so no option or return key a task uses can avoid them, and nothing the user could change removes them).
  - Each entry names the module and the start of the message, and says why it cannot be acted on; any other
    warning, from any module, still shows, so a new one is seen (C(tests/integration/test_runner.py) fails on it).
  - At verbosity 1 or more (C(-v)) the acknowledged notices show too.
  - This collection's C(ansible.cfg) sets it as C(stdout_callback); plays of your own keep whichever you choose.
extends_documentation_fragment:
  - ansible.builtin.default_callback
  - ansible.builtin.result_format_callback
requirements:
  - set as stdout in configuration
"""

from typing import Any, NamedTuple

from ansible.plugins.callback.default import CallbackModule as DefaultCallbackModule


class Notice(NamedTuple):
    """A message an upstream module emits unconditionally: who, how it starts, and why it is left."""

    actions: tuple[str, ...]
    starts: str
    why: str


ACKNOWLEDGED = (
    Notice(
        ("amazon.aws.iam_role", "amazon.aws.iam_role_info"),
        "In a release after 2026-05-01 iam_role.assume_role_policy_document_raw will no longer be returned.",
        "iam_role and iam_role_info deprecate the return value on every call; no task of the collection reads it",
    ),
    Notice(
        ("amazon.aws.lambda_info",),
        "The returned key 'function', which returned a dictionary of dictionaries, is deprecated",
        "lambda_info.main() deprecates the key on every call; the collection reads only 'functions'",
    ),
    Notice(
        ("amazon.aws.route53_info",),
        "The 'CamelCase' return values with key ",
        "route53_info deprecates its CamelCase keys on every query; the collection reads only the snake_case ones",
    ),
    Notice(
        ("amazon.aws.rds_cluster",),
        "Module did not set no_log for force_update_password",
        "AnsibleModule warns on every option whose name holds 'password' without no_log; force_update_password "
        "is a boolean and the module's spec is upstream's (the password itself is no_log)",
    ),
)


def acknowledged(action: str, message: str) -> bool:
    """Whether ``message`` from a task of ``action`` is one of the notices above."""
    return any(action in notice.actions and message.startswith(notice.starts) for notice in ACKNOWLEDGED)


class CallbackModule(DefaultCallbackModule):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "healthcare.dr.default"

    def _handle_warnings(self, res: Any) -> None:
        result = self._current_task_result
        if result is None or self._display.verbosity:
            return super()._handle_warnings(res)
        action = result.task.resolved_action or result.task.action
        if res.pop("warnings", None):
            for warning in result.warnings:
                if not acknowledged(action, warning.event.msg):
                    self._display._warning(warning)
        if res.pop("deprecations", None):
            for deprecation in result.deprecations:
                if not acknowledged(action, deprecation.event.msg):
                    self._display._deprecated(deprecation)
