"""lambda_concurrency: reserve, change and release a function's concurrency, idempotently."""

from __future__ import annotations

import pytest

from ansible_collections.healthcare.dr.plugins.modules import lambda_concurrency as module

REGION = "us-east-1"
NAME = "lambda-app-us-east-1-dev"


@pytest.fixture
def client(lambda_function):
    return lambda_function(NAME)


def reserved(client) -> int | None:
    return client.get_function_concurrency(FunctionName=NAME).get("ReservedConcurrentExecutions")


def test_reserves_concurrency(run_module, client):
    result = run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=20))

    assert result["changed"] is True
    assert result["reserved_concurrent_executions"] == 20
    assert reserved(client) == 20


def test_same_value_again_changes_nothing(run_module, client):
    run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=20))

    again = run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=20))

    assert again["changed"] is False


def test_changes_the_reservation_with_a_diff(run_module, client):
    run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=20))

    result = run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=5), diff=True)

    assert result["changed"] is True
    assert result["diff"] == {
        "before": {"reserved_concurrent_executions": 20},
        "after": {"reserved_concurrent_executions": 5},
    }
    assert reserved(client) == 5


def test_check_mode_writes_nothing(run_module, client):
    result = run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=20), check_mode=True)

    assert result["changed"] is True
    assert result["reserved_concurrent_executions"] is None
    assert reserved(client) is None


def test_absent_releases_and_is_then_unchanged(run_module, client):
    run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=20))

    released = run_module(module, dict(region=REGION, name=NAME, state="absent"))
    again = run_module(module, dict(region=REGION, name=NAME, state="absent"))

    assert released["changed"] is True
    assert again["changed"] is False
    assert reserved(client) is None


def test_zero_is_a_reservation_not_a_release(run_module, client):
    result = run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=0))

    assert result["changed"] is True
    assert reserved(client) == 0


def test_a_missing_function_fails_clearly(run_module, aws):
    result = run_module(module, dict(region=REGION, name="lambda-nope", reserved_concurrent_executions=1))

    assert result["failed"] is True
    assert result["msg"] == "Couldn't find Lambda function lambda-nope"


def test_present_needs_a_value(run_module, aws):
    result = run_module(module, dict(region=REGION, name=NAME))

    assert result["failed"] is True
    assert "reserved_concurrent_executions" in result["msg"]


def test_negative_values_are_refused(run_module, aws):
    result = run_module(module, dict(region=REGION, name=NAME, reserved_concurrent_executions=-1))

    assert result["failed"] is True
    assert result["msg"] == "reserved_concurrent_executions must be 0 or more"
