"""cloudwatch_dashboard_info driven through moto: by name, by prefix, all, missing."""

from __future__ import annotations

import json

from ansible_collections.healthcare.dr.plugins.modules import cloudwatch_dashboard_info

REGION = "us-east-1"
BODY = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 3, "properties": {"markdown": "DR"}}]}


def put(aws, name, region=REGION):
    aws.client("cloudwatch", region_name=region).put_dashboard(DashboardName=name, DashboardBody=json.dumps(BODY))


def names(result):
    return [d["dashboard_name"] for d in result["dashboards"]]


def test_reads_one_dashboard_by_name_with_its_body(aws, run_module):
    put(aws, "dashboard-dr-global-dev")
    put(aws, "dashboard-other")
    result = run_module(cloudwatch_dashboard_info, {"name": "dashboard-dr-global-dev", "region": REGION})

    assert result["changed"] is False
    assert names(result) == ["dashboard-dr-global-dev"]
    assert result["dashboards"][0]["dashboard_body"] == BODY
    assert result["dashboards"][0]["dashboard_arn"].endswith(":dashboard/dashboard-dr-global-dev")


def test_a_missing_dashboard_gives_an_empty_list(aws, run_module):
    result = run_module(cloudwatch_dashboard_info, {"name": "nope", "region": REGION})

    assert not result.get("failed")
    assert result["dashboards"] == []


def test_lists_by_prefix_and_all(aws, run_module):
    put(aws, "dashboard-dr-global-dev")
    put(aws, "dashboard-dr-global-prod")
    put(aws, "other")

    by_prefix = run_module(cloudwatch_dashboard_info, {"name_prefix": "dashboard-dr-", "region": REGION})
    everything = run_module(cloudwatch_dashboard_info, {"region": REGION})

    assert names(by_prefix) == ["dashboard-dr-global-dev", "dashboard-dr-global-prod"]
    assert names(everything) == ["dashboard-dr-global-dev", "dashboard-dr-global-prod", "other"]


def test_reads_only_its_region(aws, run_module):
    put(aws, "dashboard-dr-global-dev", region="us-west-2")

    assert run_module(cloudwatch_dashboard_info, {"region": REGION})["dashboards"] == []


def test_name_and_prefix_are_exclusive(aws, run_module):
    result = run_module(cloudwatch_dashboard_info, {"name": "a", "name_prefix": "b", "region": REGION})

    assert result["failed"] is True
