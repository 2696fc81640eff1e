"""cloudwatch_dashboard driven through moto: create, semantic comparison, update,
check mode, diff, delete (twice), and the error path."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthcare.dr.plugins.modules import cloudwatch_dashboard

REGION = "us-east-1"
NAME = "dashboard-dr-global-dev"

BODY = {
    "start": "-PT3H",
    "widgets": [
        {
            "type": "metric",
            "x": 0,
            "y": 0,
            "width": 12,
            "height": 6,
            "properties": {
                "title": "ALB requests",
                "region": "us-east-1",
                "stat": "Sum",
                "period": 60,
                "metrics": [
                    ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/alb-app-us-east-1-dev/1"],
                    ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/alb-app-us-west-2-dev/2", {"region": "us-west-2"}],
                ],
            },
        },
        {"type": "text", "x": 12, "y": 0, "width": 6, "height": 3, "properties": {"markdown": "# DR"}},
    ],
}


def args(**extra):
    return dict({"name": NAME, "region": REGION, "body": BODY}, **extra)


def stored_body(aws, name=NAME, region=REGION):
    client = aws.client("cloudwatch", region_name=region)
    return json.loads(client.get_dashboard(DashboardName=name)["DashboardBody"])


def dashboard_names(aws, region=REGION):
    client = aws.client("cloudwatch", region_name=region)
    return [entry["DashboardName"] for entry in client.list_dashboards()["DashboardEntries"]]


def reordered(value):
    """The same document with every dict's keys in reverse order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(item) for item in value]
    return value


def test_creates_the_dashboard_and_returns_it(aws, run_module):
    result = run_module(cloudwatch_dashboard, args())

    assert result["changed"] is True
    assert not result.get("failed")
    assert stored_body(aws) == BODY
    assert result["dashboard"]["dashboard_name"] == NAME
    assert result["dashboard"]["dashboard_arn"].endswith(f":dashboard/{NAME}")
    # The body keeps its own keys: nothing is snake-cased inside it.
    assert result["dashboard"]["dashboard_body"] == BODY
    assert result["validation_messages"] == []


def test_second_run_is_not_changed(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    result = run_module(cloudwatch_dashboard, args())

    assert result["changed"] is False
    assert result["dashboard"]["dashboard_body"] == BODY
    assert "validation_messages" not in result


def test_key_order_is_not_a_difference(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    result = run_module(cloudwatch_dashboard, args(body=reordered(BODY)))

    assert result["changed"] is False


def test_body_stored_with_other_key_order_and_spacing_is_the_same(aws, run_module):
    # Something else (the console, another tool) wrote the same body differently.
    aws.client("cloudwatch", region_name=REGION).put_dashboard(
        DashboardName=NAME, DashboardBody=json.dumps(reordered(BODY), indent=4)
    )
    result = run_module(cloudwatch_dashboard, args())

    assert result["changed"] is False


def test_body_given_as_a_json_string_is_accepted(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    result = run_module(cloudwatch_dashboard, args(body=json.dumps(BODY)))

    assert result["changed"] is False


def test_widget_order_is_a_difference(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    swapped = dict(BODY, widgets=list(reversed(BODY["widgets"])))
    result = run_module(cloudwatch_dashboard, args(body=swapped))

    assert result["changed"] is True
    assert stored_body(aws) == swapped


def test_changed_value_updates_the_body(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    wanted = json.loads(json.dumps(BODY))
    wanted["widgets"][0]["properties"]["period"] = 300
    result = run_module(cloudwatch_dashboard, args(body=wanted))

    assert result["changed"] is True
    assert stored_body(aws)["widgets"][0]["properties"]["period"] == 300
    assert result["dashboard"]["dashboard_body"] == wanted


def test_check_mode_create_reports_changed_and_writes_nothing(aws, run_module):
    result = run_module(cloudwatch_dashboard, args(), check_mode=True)

    assert result["changed"] is True
    assert dashboard_names(aws) == []
    assert result["dashboard"]["dashboard_body"] == BODY
    assert "dashboard_arn" not in result["dashboard"]


def test_check_mode_update_reports_changed_and_keeps_the_old_body(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    wanted = dict(BODY, start="-PT6H")
    result = run_module(cloudwatch_dashboard, args(body=wanted), check_mode=True)

    assert result["changed"] is True
    assert stored_body(aws) == BODY


def test_diff_shows_before_and_after(aws, run_module):
    created = run_module(cloudwatch_dashboard, args(), diff=True)
    assert created["diff"] == {"before": {}, "after": BODY}

    wanted = dict(BODY, start="-PT6H")
    updated = run_module(cloudwatch_dashboard, args(body=wanted), diff=True)
    assert updated["diff"] == {"before": BODY, "after": wanted}

    deleted = run_module(cloudwatch_dashboard, {"name": NAME, "region": REGION, "state": "absent"}, diff=True)
    assert deleted["diff"] == {"before": wanted, "after": {}}


def test_absent_deletes_then_is_unchanged(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    absent = {"name": NAME, "region": REGION, "state": "absent"}

    first = run_module(cloudwatch_dashboard, absent)
    second = run_module(cloudwatch_dashboard, absent)

    assert first["changed"] is True
    assert first["dashboard"] == {}
    assert dashboard_names(aws) == []
    assert second["changed"] is False
    assert not second.get("failed")


def test_absent_in_check_mode_keeps_the_dashboard(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    result = run_module(cloudwatch_dashboard, {"name": NAME, "region": REGION, "state": "absent"}, check_mode=True)

    assert result["changed"] is True
    assert dashboard_names(aws) == [NAME]


def test_absent_leaves_other_dashboards_alone(aws, run_module):
    run_module(cloudwatch_dashboard, args())
    run_module(cloudwatch_dashboard, args(name="dashboard-other-global-dev"))
    run_module(cloudwatch_dashboard, {"name": NAME, "region": REGION, "state": "absent"})

    assert dashboard_names(aws) == ["dashboard-other-global-dev"]


def test_dashboards_are_per_region(aws, run_module):
    run_module(cloudwatch_dashboard, args(region="us-west-2"))

    assert dashboard_names(aws, "us-west-2") == [NAME]
    assert dashboard_names(aws, REGION) == []


def test_present_requires_a_body(aws, run_module):
    result = run_module(cloudwatch_dashboard, {"name": NAME, "region": REGION})

    assert result["failed"] is True
    assert "body" in result["msg"]


def test_aws_error_fails_with_a_message_naming_the_dashboard(aws, run_module, monkeypatch):
    from botocore.exceptions import ClientError

    real_client = cloudwatch_dashboard.AnsibleAWSModule.client

    def client_that_refuses_puts(self, *a, **kw):
        client = real_client(self, *a, **kw)

        def refuse(**params):
            raise ClientError({"Error": {"Code": "InvalidParameterInput", "Message": "bad body"}}, "PutDashboard")

        client.put_dashboard = refuse
        return client

    monkeypatch.setattr(cloudwatch_dashboard.AnsibleAWSModule, "client", client_that_refuses_puts)
    result = run_module(cloudwatch_dashboard, args())

    assert result["failed"] is True
    assert result["msg"].startswith(f"Couldn't put dashboard {NAME}")
    assert result["error"]["code"] == "InvalidParameterInput"


@pytest.mark.parametrize("body", ["not json {", "[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_refused(aws, run_module, body):
    result = run_module(cloudwatch_dashboard, args(body=body))

    assert result["failed"] is True
    assert dashboard_names(aws) == []
