"""Publish one AuroraGlobalDBReplicationLag datapoint for a cluster, as Aurora
would for a secondary cluster (the emulator publishes none).

    put_lag.py <endpoint> <region> <cluster> <milliseconds>
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone

import boto3


def main() -> None:
    endpoint, region, cluster, value = sys.argv[1:5]
    boto3.client(
        "cloudwatch",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).put_metric_data(
        Namespace="AWS/RDS",
        MetricData=[
            {
                "MetricName": "AuroraGlobalDBReplicationLag",
                "Dimensions": [{"Name": "DBClusterIdentifier", "Value": cluster}],
                "Timestamp": datetime.now(timezone.utc),
                "Value": float(value),
                "Unit": "Milliseconds",
            }
        ],
    )
    print(f"{cluster} in {region}: lag {value} ms published")


if __name__ == "__main__":
    main()
