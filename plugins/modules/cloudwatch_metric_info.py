#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudwatch_metric_info
version_added: 0.1.0
short_description: Read a CloudWatch metric's recent datapoints
description:
  - Read one statistic of one CloudWatch metric over the last O(since_seconds) seconds
    (C(GetMetricStatistics)), oldest first, with the latest datapoint and the maximum apart.
  - No datapoint in the window is not an error; the list is empty and RV(latest) is null.
  - Neither amazon.aws nor community.aws reads metric data; this is what the DR status report uses to read
    C(AuroraGlobalDBReplicationLag).
options:
  namespace:
    description:
      - The metric's namespace, for example V(AWS/RDS).
    type: str
    required: true
  metric_name:
    description:
      - The metric's name, for example V(AuroraGlobalDBReplicationLag).
    type: str
    required: true
  dimensions:
    description:
      - The metric's dimensions, name to value.
    type: dict
    default: {}
  statistic:
    description:
      - The statistic to read.
    type: str
    choices: [Average, Maximum, Minimum, Sum, SampleCount]
    default: Maximum
  period:
    description:
      - Seconds each datapoint aggregates (a multiple of 60, or 1, 5, 10, 30 for high-resolution metrics).
    type: int
    default: 60
  since_seconds:
    description:
      - How far back to read, in seconds from now.
    type: int
    default: 600
author:
  - healthcare.dr maintainers (@healthcare-dr)
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Read the DR cluster's replication lag over the last ten minutes
  healthcare.dr.cloudwatch_metric_info:
    namespace: AWS/RDS
    metric_name: AuroraGlobalDBReplicationLag
    dimensions:
      DBClusterIdentifier: aurora-cluster-us-west-2-dev
    statistic: Maximum
    period: 60
    since_seconds: 600
    region: us-west-2
  register: lag

- name: Show the last lag seen
  ansible.builtin.debug:
    msg: "{{ lag.latest.value | default('no datapoint') }} ms"
"""

RETURN = r"""
datapoints:
  description: The datapoints in the window, oldest first.
  returned: always
  type: list
  elements: dict
  contains:
    timestamp:
      description: Start of the datapoint's period, ISO 8601 UTC.
      type: str
      sample: "2026-11-29T11:00:00+00:00"
    value:
      description: The statistic's value.
      type: float
      sample: 120.0
    unit:
      description: The unit CloudWatch reports.
      type: str
      sample: Milliseconds
latest:
  description: The newest datapoint, or null when there is none.
  returned: always
  type: dict
  sample: {timestamp: "2026-11-29T11:00:00+00:00", value: 120.0, unit: Milliseconds}
maximum:
  description: The largest value in the window, or null when there is no datapoint.
  returned: always
  type: float
  sample: 250.0
"""

from datetime import datetime, timedelta, timezone
from typing import Any

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


def read_datapoints(module: AnsibleAWSModule, client: Any) -> list[dict[str, Any]]:
    params = module.params
    end = datetime.now(timezone.utc)
    start = end - timedelta(seconds=params["since_seconds"])
    statistic = params["statistic"]
    try:
        answer = client.get_metric_statistics(
            aws_retry=True,
            Namespace=params["namespace"],
            MetricName=params["metric_name"],
            Dimensions=[{"Name": name, "Value": str(value)} for name, value in sorted(params["dimensions"].items())],
            StartTime=start,
            EndTime=end,
            Period=params["period"],
            Statistics=[statistic],
        )
    except (ClientError, BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Couldn't read metric {params['namespace']} {params['metric_name']}")
    points = [
        {"timestamp": point["Timestamp"].isoformat(), "value": float(point[statistic]), "unit": point.get("Unit")}
        for point in answer.get("Datapoints", [])
    ]
    return sorted(points, key=lambda point: point["timestamp"])


def main() -> None:
    argument_spec = dict(
        namespace=dict(type="str", required=True),
        metric_name=dict(type="str", required=True),
        dimensions=dict(type="dict", default={}),
        statistic=dict(type="str", default="Maximum", choices=["Average", "Maximum", "Minimum", "Sum", "SampleCount"]),
        period=dict(type="int", default=60),
        since_seconds=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.params["period"] < 1 or module.params["since_seconds"] < 1:
        module.fail_json(msg="period and since_seconds must be 1 or more")
    client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())
    points = read_datapoints(module, client)
    module.exit_json(
        changed=False,
        datapoints=points,
        latest=points[-1] if points else None,
        maximum=max(point["value"] for point in points) if points else None,
    )


if __name__ == "__main__":
    main()
