"""module_utils.outcome (the one return shape of ensure_*) and module_utils.calls (one AWS call)."""

from __future__ import annotations

import botocore.exceptions
import pytest

from ansible_collections.healthcare.dr.plugins.module_utils.calls import aws_call
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import Outcome
from ansible_collections.healthcare.dr.plugins.module_utils.outcome import exit_with


def client_error(code: str) -> botocore.exceptions.ClientError:
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, "Operation")


def test_exit_with_gives_changed_and_values_without_diff(fake_module):
    module = fake_module()
    with pytest.raises(Exception):
        exit_with(module, Outcome(True, {"a": 1}, {"a": 2}, {"thing": {"a": 2}}))
    assert module.values == {"changed": True, "thing": {"a": 2}}


def test_exit_with_adds_the_diff_in_diff_mode(fake_module):
    module = fake_module(diff=True)
    with pytest.raises(Exception):
        exit_with(module, Outcome(False, {"a": 1}, {"a": 1}, {}))
    assert module.values == {"changed": False, "diff": {"before": {"a": 1}, "after": {"a": 1}}}


def test_aws_call_retries_through_the_client_and_returns_the_answer(fake_module):
    seen = {}

    def method(**kwargs):
        seen.update(kwargs)
        return {"Answer": 42}

    assert aws_call(fake_module(), "boom", method, Name="x") == {"Answer": 42}
    assert seen == {"aws_retry": True, "Name": "x"}


def test_aws_call_answers_none_for_an_expected_error_code(fake_module):
    def method(**kwargs):
        raise client_error("ResourceNotFoundException")

    assert aws_call(fake_module(), "boom", method, ("ResourceNotFoundException",)) is None


def test_aws_call_fails_with_the_message_on_any_other_error(fake_module):
    def method(**kwargs):
        raise client_error("AccessDenied")

    module = fake_module()
    with pytest.raises(Exception):
        aws_call(module, "Couldn't describe thing-1", method, ("ResourceNotFoundException",))
    assert module.failure[1] == "Couldn't describe thing-1"
