"""module_utils.outcome (the one return shape of ensure_*) and module_utils.calls (one AWS call)."""

from __future__ import annotations

import botocore.exceptions
import pytest

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


class Exited(Exception):
    pass


class FakeModule:
    def __init__(self, diff: bool = False):
        self._diff = diff
        self.values = None
        self.failure = None

    def exit_json(self, **values):
        self.values = values
        raise Exited()

    def fail_json_aws(self, exception, msg):
        self.failure = msg
        raise Exited()


def client_error(code: str) -> botocore.exceptions.ClientError:
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, "Operation")


def test_exit_with_gives_changed_and_values_without_diff():
    module = FakeModule()
    with pytest.raises(Exited):
        exit_with(module, Outcome(True, {"a": 1}, {"a": 2}, {"thing": {"a": 2}}))
    assert module.values == {"changed": True, "thing": {"a": 2}}


def test_exit_with_adds_the_diff_in_diff_mode():
    module = FakeModule(diff=True)
    with pytest.raises(Exited):
        exit_with(module, Outcome(False, {"a": 1}, {"a": 1}, {}))
    assert module.values == {"changed": False, "diff": {"before": {"a": 1}, "after": {"a": 1}}}


def test_aws_call_retries_through_the_client_and_returns_the_answer():
    seen = {}

    def method(**kwargs):
        seen.update(kwargs)
        return {"Answer": 42}

    assert aws_call(FakeModule(), "boom", method, Name="x") == {"Answer": 42}
    assert seen == {"aws_retry": True, "Name": "x"}


def test_aws_call_answers_none_for_an_expected_error_code():
    def method(**kwargs):
        raise client_error("ResourceNotFoundException")

    assert aws_call(FakeModule(), "boom", method, ("ResourceNotFoundException",)) is None


def test_aws_call_fails_with_the_message_on_any_other_error():
    def method(**kwargs):
        raise client_error("AccessDenied")

    module = FakeModule()
    with pytest.raises(Exited):
        aws_call(module, "Couldn't describe thing-1", method, ("ResourceNotFoundException",))
    assert module.failure == "Couldn't describe thing-1"
