"""lambda_environment: set an existing function's environment variables, and nothing else, idempotently."""

from __future__ import annotations

import pytest

from ansible_collections.healthcare.dr.plugins.modules import lambda_environment as module

REGION = "us-east-1"
NAME = "lambda-app-us-east-1-dev"
BEFORE = {"DR_REGION": REGION, "DR_IS_PRIMARY": "true", "DR_DB_ENDPOINT": "writer.example"}
AFTER = {"DR_REGION": REGION, "DR_IS_PRIMARY": "false", "DR_DB_ENDPOINT": "reader.example"}


@pytest.fixture
def client(lambda_function):
    return lambda_function(NAME, Environment={"Variables": BEFORE}, Timeout=7, MemorySize=256)


def configuration(client) -> dict:
    return client.get_function_configuration(FunctionName=NAME)


def test_sets_the_variables_and_leaves_the_rest_of_the_configuration(run_module, client):
    result = run_module(module, dict(region=REGION, name=NAME, variables=AFTER))

    assert result["changed"] is True
    assert result["variables"] == AFTER
    after = configuration(client)
    assert after["Environment"]["Variables"] == AFTER
    assert (after["Handler"], after["Timeout"], after["MemorySize"]) == ("handler.lambda_handler", 7, 256)


def test_the_same_variables_again_change_nothing(run_module, client):
    again = run_module(module, dict(region=REGION, name=NAME, variables=BEFORE))

    assert again["changed"] is False
    assert again["variables"] == BEFORE


def test_a_variable_not_asked_for_is_removed(run_module, client):
    wanted = {key: value for key, value in BEFORE.items() if key != "DR_DB_ENDPOINT"}

    result = run_module(module, dict(region=REGION, name=NAME, variables=wanted))

    assert result["changed"] is True
    assert configuration(client)["Environment"]["Variables"] == wanted


def test_values_are_compared_as_strings(run_module, client):
    """Lambda stores strings: a boolean given as True is the "true" already there."""
    again = run_module(module, dict(region=REGION, name=NAME, variables={**BEFORE, "DR_IS_PRIMARY": True}))

    assert again["changed"] is False


def test_check_mode_writes_nothing_and_diff_shows_both_sides(run_module, client):
    result = run_module(module, dict(region=REGION, name=NAME, variables=AFTER), check_mode=True, diff=True)

    assert result["changed"] is True
    assert result["variables"] == BEFORE
    assert result["diff"] == {"before": {"variables": BEFORE}, "after": {"variables": AFTER}}
    assert configuration(client)["Environment"]["Variables"] == BEFORE


def test_a_missing_function_fails_clearly(run_module, aws):
    result = run_module(module, dict(region=REGION, name="lambda-nope", variables=AFTER))

    assert result["failed"] is True
    assert result["msg"] == "Couldn't find Lambda function lambda-nope"


def test_in_check_mode_a_function_not_there_yet_is_left_and_said_so(run_module, aws):
    """site.yml --check on an empty account: the lambda_alb role only predicted the function."""
    result = run_module(module, dict(region=REGION, name="lambda-nope", variables=AFTER), check_mode=True)

    assert result.get("failed") is not True and result["changed"] is False
    assert result["msg"] == "Lambda function lambda-nope does not exist yet: the run would create it first"
    assert result["variables"] == {}


def test_an_update_in_progress_is_waited_for(run_module, client, monkeypatch):
    """Lambda refuses an update while one is InProgress: the module polls until it is not."""
    real = client.get_function_configuration
    statuses = iter(["InProgress", "InProgress"])

    def patched_client(self, service, **kwargs):
        wrapped = original(self, service, **kwargs)

        def reading(**call):
            found = real(**{k: v for k, v in call.items() if k != "aws_retry"})
            return {**found, "LastUpdateStatus": next(statuses, "Successful")}

        wrapped.get_function_configuration = reading
        return wrapped

    original = module.AnsibleAWSModule.client
    monkeypatch.setattr(module.AnsibleAWSModule, "client", patched_client)
    monkeypatch.setattr(module, "wait_for", lambda m, what, check, timeout, delay: _poll(check))

    result = run_module(module, dict(region=REGION, name=NAME, variables=AFTER))

    assert result["changed"] is True
    assert next(statuses, "drained") == "drained"
    assert configuration(client)["Environment"]["Variables"] == AFTER


def _poll(check):
    for _poll_number in range(10):
        found = check()
        if found:
            return found
    raise AssertionError("never settled")
