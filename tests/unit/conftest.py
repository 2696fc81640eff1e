"""Shared fixtures: moto in-process with the emulator's extensions, and a way to
run a module's ``main()`` with given arguments and read back its result."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any, Callable

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from moto import mock_aws

import emulator_ext
from ansible_collections.healthcare.dr.plugins.module_utils import shared_botocore_loader

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
# moto otherwise fills every region's EC2 backend with its ~1300 sample AMIs, each with a
# volume and a snapshot: most of a unit test's time, for images no module here reads
# (the emulator leaves them out the same way: tools/emulator.py server_environment).
MOTO_SETTINGS = {"MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}


class ModuleExit(Exception):
    """Raised in place of a module's sys.exit so the test can read the result."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__(result)
        self.result = result


@pytest.fixture(scope="session", autouse=True)
def _models_parsed_once() -> None:
    """One botocore loader for every boto3 session of the run, as in a warm interpreter under
    healthcare.dr.mitogen_linear: each service's model is parsed once, not in every test."""
    shared_botocore_loader.share()


@pytest.fixture(autouse=True)
def _isolated_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never let a unit test reach a real AWS account or endpoint; moto without its sample AMIs."""
    for name, value in {**FAKE_CREDENTIALS, **MOTO_SETTINGS}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def aws() -> Any:
    """moto in-process, with the operations the emulator adds."""
    emulator_ext.apply()
    with mock_aws():
        yield boto3


@pytest.fixture
def aws_clock() -> Any:
    """``aws_clock(model, seconds)`` puts one of the emulator's lifecycles on a clock for the test, as
    ``POST /moto-api/state-manager/set-transition`` does on the server (tools/emulator_timing.py)."""
    from moto.moto_api import state_manager

    models: list[str] = []

    def on_clock(model: str, seconds: float) -> None:
        state_manager.set_transition(model, {"progression": "time", "seconds": seconds})
        models.append(model)

    yield on_clock
    for model in models:
        state_manager.unset_transition(model)


@pytest.fixture
def switch_seconds(aws_clock: Any) -> Callable[[float], None]:
    """``switch_seconds(n)``: a global switchover or failover takes n seconds (DR_EMULATOR_SWITCH_SECONDS)."""

    def set_seconds(seconds: float) -> None:
        aws_clock("rds::global_cluster_switchover", seconds)
        aws_clock("rds::global_cluster_failover", seconds)

    return set_seconds


@pytest.fixture
def run_module(monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, Any]]:
    """Run ``module.main()`` with ``args``; return its result dict.

    ``result["failed"]`` is true when the module called ``fail_json``. Check
    mode and diff are the ``_ansible_check_mode`` / ``_ansible_diff`` args.
    """
    from ansible.module_utils import basic

    def _exit(self: Any, **kwargs: Any) -> None:
        kwargs.setdefault("changed", False)
        raise ModuleExit(kwargs)

    def _fail(self: Any, msg: str, **kwargs: Any) -> None:
        kwargs.update(failed=True, msg=msg)
        raise ModuleExit(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail)

    def _run(module: Any, args: dict[str, Any], check_mode: bool = False, diff: bool = False) -> dict[str, Any]:
        full_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(full_args):
            try:
                module.main()
            except ModuleExit as done:
                # Round-trip through JSON, as Ansible would, so a result that
                # cannot be serialised fails the test.
                return json.loads(json.dumps(done.result, default=str))
        raise AssertionError("module returned without calling exit_json or fail_json")

    return _run


@pytest.fixture
def lambda_function(aws) -> Callable[..., Any]:
    """Make a Python function (and the role it runs as) in moto; returns the region's Lambda client."""

    def _make(name: str, region: str = "us-east-1", **configuration: Any) -> Any:
        role = aws.client("iam", region_name=region).create_role(
            RoleName=f"iam-{name}",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        )["Role"]  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("handler.py", "def lambda_handler(event, context):\n    return {}\n")
        client = aws.client("lambda", region_name=region)
        client.create_function(FunctionName=name, Runtime="python3.12", Role=role["Arn"],
                               Handler="handler.lambda_handler", Code={"ZipFile": buffer.getvalue()},
                               **configuration)  # fmt: skip
        return client

    return _make
