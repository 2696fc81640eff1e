"""The lambda_alb role's handler, driven with the events an ALB sends.

Lambda invoke needs docker, which the emulator host lacks, so the handler is
tested here directly; the deployment is checked by molecule/lambda_alb.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "roles" / "lambda_alb" / "files"))

from app import handler  # noqa: E402

EVENTS = Path(__file__).resolve().parent / "events"
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def event(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text())


def body(response: dict) -> dict:
    return json.loads(response["body"])


def header(response: dict, name: str) -> str:
    if "multiValueHeaders" in response:
        values = response["multiValueHeaders"][name]
        assert len(values) == 1
        return values[0]
    return response["headers"][name]


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DR_REGION", "DR_IS_PRIMARY", "DR_ENVIRONMENT", "DR_DB_ENDPOINT", "DR_FAULT_HEALTH", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DR_REGION", "us-east-1")
    monkeypatch.setenv("DR_IS_PRIMARY", "true")
    monkeypatch.setenv("DR_ENVIRONMENT", "dev")


# --- /health -----------------------------------------------------------------


def test_health_answers_200_json_with_region_role_and_utc_timestamp():
    response = handler.lambda_handler(event("health_check"), None)

    assert response["statusCode"] == 200
    assert response["statusDescription"] == "200 OK"
    assert response["isBase64Encoded"] is False
    assert header(response, "Content-Type") == "application/json"
    assert header(response, "Cache-Control") == "no-store"
    payload = body(response)
    assert set(payload) == {"status", "region", "isPrimary", "timestamp"}
    assert payload["status"] == "healthy"
    assert payload["region"] == "us-east-1"
    assert payload["isPrimary"] is True
    assert ISO_UTC.match(payload["timestamp"]), payload["timestamp"]


def test_health_answers_503_while_the_fault_switch_is_on(monkeypatch):
    monkeypatch.setenv("DR_FAULT_HEALTH", "true")

    response = handler.lambda_handler(event("health_check"), None)

    assert response["statusCode"] == 503
    assert response["statusDescription"] == "503 Service Unavailable"
    assert body(response)["status"] == "unhealthy" and body(response)["region"] == "us-east-1"
    monkeypatch.setenv("DR_FAULT_HEALTH", "false")
    assert handler.lambda_handler(event("health_check"), None)["statusCode"] == 200


def test_health_reports_the_standby_region_as_not_primary(monkeypatch):
    monkeypatch.setenv("DR_REGION", "us-west-2")
    monkeypatch.setenv("DR_IS_PRIMARY", "false")

    payload = body(handler.lambda_handler(event("health_check"), None))

    assert payload["region"] == "us-west-2"
    assert payload["isPrimary"] is False


def test_health_falls_back_to_lambdas_own_region(monkeypatch):
    monkeypatch.delenv("DR_REGION")
    monkeypatch.delenv("DR_IS_PRIMARY")
    monkeypatch.setenv("AWS_REGION", "us-west-2")

    payload = body(handler.lambda_handler(event("health_check"), None))

    assert payload["region"] == "us-west-2"
    assert payload["isPrimary"] is False


def test_health_never_touches_the_database(monkeypatch):
    # A configured endpoint changes nothing and is not even read by /health.
    monkeypatch.setenv("DR_DB_ENDPOINT", "aurora-cluster-us-east-1-dev.cluster-x.us-east-1.rds.amazonaws.com")
    payload = body(handler.lambda_handler(event("health_check"), None))
    assert payload["status"] == "healthy"
    assert "aurora" not in json.dumps(payload)


def test_health_answers_in_multi_value_shape_when_asked_in_it(monkeypatch):
    monkeypatch.setenv("DR_REGION", "us-west-2")
    monkeypatch.setenv("DR_IS_PRIMARY", "false")

    response = handler.lambda_handler(event("multi_value_health"), None)

    assert response["statusCode"] == 200
    assert "headers" not in response
    assert response["multiValueHeaders"]["Content-Type"] == ["application/json"]
    assert body(response)["region"] == "us-west-2"


def test_head_on_health_has_headers_and_no_body():
    request = event("health_check")
    request["httpMethod"] = "HEAD"

    response = handler.lambda_handler(request, None)

    assert response["statusCode"] == 200
    assert response["body"] == ""
    assert header(response, "Content-Type") == "application/json"


def test_health_with_a_trailing_slash_is_health():
    request = event("health_check")
    request["path"] = "/health/"
    assert handler.lambda_handler(request, None)["statusCode"] == 200


# --- the placeholder application --------------------------------------------


def test_root_describes_the_application(monkeypatch):
    monkeypatch.setenv("DR_DB_ENDPOINT", "aurora-cluster-us-east-1-dev.cluster-x.us-east-1.rds.amazonaws.com")

    response = handler.lambda_handler(event("browser_get"), None)

    assert response["statusCode"] == 200
    assert header(response, "Content-Type") == "application/json"
    payload = body(response)
    assert payload["service"] == "healthcare-dr-app"
    assert payload["region"] == "us-east-1"
    assert payload["isPrimary"] is True
    assert payload["environment"] == "dev"
    # Says that a database is configured, never where it is.
    assert payload["databaseConfigured"] is True
    assert "aurora" not in response["body"]


def test_root_without_a_database_says_so():
    assert body(handler.lambda_handler(event("browser_get"), None))["databaseConfigured"] is False


def test_unknown_path_is_a_json_404():
    request = event("browser_get")
    request["path"] = "/patients/42"

    response = handler.lambda_handler(request, None)

    assert response["statusCode"] == 404
    assert response["statusDescription"] == "404 Not Found"
    assert header(response, "Content-Type") == "application/json"
    assert body(response) == {"error": {"code": "not_found", "message": "no resource at /patients/42"}}


@pytest.mark.parametrize("method, path", [("POST", "/health"), ("DELETE", "/"), ("PUT", "/health"), ("GET", "/echo")])
def test_wrong_method_is_a_json_405_with_allow(method, path):
    request = event("browser_get")
    request["httpMethod"] = method
    request["path"] = path

    response = handler.lambda_handler(request, None)

    assert response["statusCode"] == 405
    assert response["statusDescription"] == "405 Method Not Allowed"
    assert body(response)["error"]["code"] == "method_not_allowed"
    allowed = header(response, "Allow").split(", ")
    assert method not in allowed
    assert allowed == sorted(handler.ROUTES[path])


def test_lower_case_method_is_accepted():
    request = event("health_check")
    request["httpMethod"] = "get"
    assert handler.lambda_handler(request, None)["statusCode"] == 200


# --- bodies ------------------------------------------------------------------


def test_base64_body_is_decoded():
    response = handler.lambda_handler(event("post_echo_base64"), None)

    assert response["statusCode"] == 200
    payload = body(response)
    assert payload["received"] == {"ping": True, "note": "café"}
    assert payload["bytes"] == 31


def test_plain_text_body_is_read_as_utf8():
    request = event("post_echo_base64")
    request["isBase64Encoded"] = False
    request["body"] = json.dumps({"ping": True})

    payload = body(handler.lambda_handler(request, None))

    assert payload["received"] == {"ping": True}


def test_body_that_is_not_json_is_a_400():
    request = event("post_echo_base64")
    request["body"] = base64.b64encode(b"\x00\xffnot json").decode()

    response = handler.lambda_handler(request, None)

    assert response["statusCode"] == 400
    assert body(response)["error"]["code"] == "bad_request"


def test_oversized_body_is_a_413():
    request = event("post_echo_base64")
    request["body"] = base64.b64encode(b"[" + b"1," * handler.MAX_ECHO_BYTES + b"1]").decode()

    response = handler.lambda_handler(request, None)

    assert response["statusCode"] == 413


def test_invalid_base64_is_a_400():
    request = event("post_echo_base64")
    request["body"] = "not*base64!"

    response = handler.lambda_handler(request, None)

    assert response["statusCode"] == 400
    assert body(response)["error"]["message"] == "body is not valid base64"


# --- malformed events and failures ------------------------------------------


def _without(name: str, key: str) -> dict:
    request = event(name)
    del request[key]
    return request


@pytest.mark.parametrize(
    "malformed, message",
    [
        (None, "event must be an object"),
        ("GET /health", "event must be an object"),
        ({}, "httpMethod is missing"),
        (_without("health_check", "httpMethod"), "httpMethod is missing"),
        (_without("health_check", "path"), "path is missing"),
        (dict(event("health_check"), path="health"), "path is missing"),
        (dict(event("health_check"), headers=["user-agent"]), "headers must be an object of strings"),
        (dict(event("multi_value_health"), multiValueHeaders={"accept": "x"}), "multiValueHeaders values must be lists of strings"),
        (dict(event("health_check"), body={"a": 1}), "body must be a string"),
    ],
)
def test_malformed_event_is_a_json_400_not_a_crash(malformed, message):
    response = handler.lambda_handler(copy.deepcopy(malformed), None)

    assert response["statusCode"] == 400
    assert header(response, "Content-Type") == "application/json"
    assert body(response) == {"error": {"code": "bad_request", "message": message}}


def test_malformed_multi_value_event_is_answered_in_multi_value_shape():
    request = event("multi_value_health")
    del request["httpMethod"]

    response = handler.lambda_handler(request, None)

    assert response["statusCode"] == 400
    assert response["multiValueHeaders"]["Content-Type"] == ["application/json"]


def test_an_unexpected_error_is_a_generic_500_without_a_trace(monkeypatch, caplog):
    def explode(request):
        raise RuntimeError("secret internals at /var/task/app/handler.py line 1")

    monkeypatch.setitem(handler.ROUTES, "/health", {"GET": explode})

    response = handler.lambda_handler(event("health_check"), None)

    assert response["statusCode"] == 500
    assert body(response) == {"error": {"code": "internal_error", "message": "the request could not be served"}}
    assert "Traceback" not in response["body"]
    assert "secret internals" not in response["body"]
    # ...while the log keeps the trace for whoever operates the function.
    assert "secret internals" in caplog.text


def test_every_response_is_valid_json_for_every_fixture():
    for path in sorted(EVENTS.glob("*.json")):
        response = handler.lambda_handler(json.loads(path.read_text()), None)
        assert isinstance(json.loads(response["body"]), dict), path.name
