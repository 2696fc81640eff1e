"""tools/emulator_calls.py: each request the emulator serves, named as the proxy names it, with its caller."""

from __future__ import annotations

import io
import json

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

import emulator_calls

SIGNED = "AWS4-HMAC-SHA256 Credential=testing/20261207/{region}/{service}/aws4_request, SignedHeaders=host, Signature=x"
AGENT = "APN/1.0 Ansible/2.19.14 amazon.aws/10.1.2 Boto3/1.40 md/Botocore#1.44 app/healthcare.dr-deployer"


def environ(method: str, path: str, service: str, query: str = "", body: bytes = b"", **headers) -> dict:
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO(body),
           "CONTENT_LENGTH": str(len(body)), "HTTP_AUTHORIZATION": SIGNED.format(region="us-east-1", service=service),
           "HTTP_USER_AGENT": AGENT}  # fmt: skip
    env.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    if body:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded; charset=utf-8"
    return env


def test_a_query_call_is_named_from_its_form_body_which_moto_still_reads():
    env = environ("POST", "/", "ec2", body=b"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16")
    assert emulator_calls.record(env) == {"caller": "healthcare.dr-deployer", "service": "ec2", "operation": "CreateVpc"}
    assert env["wsgi.input"].read() == b"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16"


def test_a_rest_call_is_named_from_botocores_model():
    entry = emulator_calls.record(environ("PUT", "/s3-data-us-east-1-dev-123456789012", "s3", query="replication"))
    assert entry["operation"] == "PutBucketReplication"


def test_the_tests_own_calls_have_no_caller_and_the_emulators_routes_are_not_logged():
    env = environ("POST", "/", "sts", body=b"Action=GetCallerIdentity&Version=2011-06-15")
    env["HTTP_USER_AGENT"] = "Boto3/1.40 md/Botocore#1.44"
    assert emulator_calls.record(env)["caller"] == ""
    assert emulator_calls.record(environ("POST", "/moto-api/reset", "unknown")) is None


def test_installed_it_appends_one_line_per_answered_call(tmp_path, monkeypatch):
    def answer(self, env, start_response):
        start_response("200 OK", [])
        return [b"<ok/>"]

    monkeypatch.setattr(DomainDispatcherApplication, "__call__", answer)
    log = tmp_path / "calls.jsonl"
    assert emulator_calls.install(str(log)) is True
    app = DomainDispatcherApplication.__new__(DomainDispatcherApplication)
    for _twice in range(2):
        app(environ("POST", "/", "rds", body=b"Action=SwitchoverGlobalCluster&Version=2014-10-31"), lambda *a: None)
    app(environ("GET", "/moto-api/", "unknown"), lambda *a: None)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert lines == [{"caller": "healthcare.dr-deployer", "operation": "SwitchoverGlobalCluster", "service": "rds",
                      "status": 200}] * 2  # fmt: skip


def test_without_a_log_file_nothing_is_installed(monkeypatch):
    monkeypatch.delenv("DR_EMULATOR_CALL_LOG", raising=False)
    assert emulator_calls.install() is False
