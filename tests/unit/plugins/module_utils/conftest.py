"""A stand-in for AnsibleAWSModule, for module_utils helpers that only read its flags and end it."""

from __future__ import annotations

import pytest


class ModuleExit(Exception):
    """Raised where exit_json or fail_json_aws would end the module."""


class FakeModule:
    def __init__(self, check_mode: bool = False, diff: bool = False):
        self.check_mode = check_mode
        self._diff = diff
        self.values = None
        self.failure = None

    def exit_json(self, **values):
        self.values = values
        raise ModuleExit()

    def fail_json_aws(self, exception, msg):
        self.failure = (exception, msg)
        raise ModuleExit(msg)


@pytest.fixture
def fake_module():
    """FakeModule, the class: call it with check_mode= and diff= as a test needs."""
    return FakeModule
