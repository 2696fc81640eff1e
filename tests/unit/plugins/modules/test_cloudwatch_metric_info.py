"""cloudwatch_metric_info driven through moto: datapoints in the window, none, its region only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ansible_collections.healthcare.dr.plugins.modules import cloudwatch_metric_info

REGION = "us-west-2"
LAG = {"namespace": "AWS/RDS", "metric_name": "AuroraGlobalDBReplicationLag"}
DIMENSIONS = {"DBClusterIdentifier": "aurora-cluster-us-west-2-dev"}


def put_lag(aws, value, minutes_ago, region=REGION):
    aws.client("cloudwatch", region_name=region).put_metric_data(
        Namespace="AWS/RDS",
        MetricData=[
            {
                "MetricName": "AuroraGlobalDBReplicationLag",
                "Dimensions": [{"Name": k, "Value": v} for k, v in DIMENSIONS.items()],
                "Timestamp": datetime.now(timezone.utc) - timedelta(minutes=minutes_ago),
                "Value": value,
                "Unit": "Milliseconds",
            }
        ],
    )


def args(**extra):
    return dict(LAG, dimensions=DIMENSIONS, region=REGION, **extra)


def test_reads_the_datapoints_oldest_first_with_latest_and_maximum(aws, run_module):
    put_lag(aws, 900.0, minutes_ago=4)
    put_lag(aws, 120.0, minutes_ago=1)

    result = run_module(cloudwatch_metric_info, args(since_seconds=600))

    assert result["changed"] is False
    assert [p["value"] for p in result["datapoints"]] == [900.0, 120.0]
    assert result["latest"]["value"] == 120.0
    assert result["maximum"] == 900.0


def test_no_datapoint_is_not_an_error(aws, run_module):
    result = run_module(cloudwatch_metric_info, args())

    assert not result.get("failed")
    assert result["datapoints"] == []
    assert result["latest"] is None
    assert result["maximum"] is None


def test_reads_only_the_window_and_the_dimensions_asked(aws, run_module):
    put_lag(aws, 5000.0, minutes_ago=30)
    result = run_module(cloudwatch_metric_info, args(since_seconds=600))
    other = run_module(cloudwatch_metric_info, dict(args(), dimensions={"DBClusterIdentifier": "other"}))

    assert result["datapoints"] == []
    assert other["datapoints"] == []


def test_reads_only_its_region(aws, run_module):
    put_lag(aws, 300.0, minutes_ago=1, region="us-east-1")

    assert run_module(cloudwatch_metric_info, args())["datapoints"] == []


def test_rejects_a_window_of_zero(aws, run_module):
    result = run_module(cloudwatch_metric_info, args(since_seconds=0))

    assert result["failed"] is True
