"""Read back what the monitoring role made that has no _info module in
amazon.aws / community.aws: the alarm topics' attributes and subscriptions and
the dashboard body. Prints JSON; talks only to the endpoint it is given."""

import json
import sys

import boto3


def main(endpoint: str, topic: str, dashboard: str, dashboard_region: str, *regions: str) -> None:
    out = {"topics": {}, "dashboard": None}
    for region in regions:
        sns = boto3.client("sns", region_name=region, endpoint_url=endpoint)
        arns = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":" + topic)]
        out["topics"][region] = [
            {
                "arn": arn,
                "attributes": sns.get_topic_attributes(TopicArn=arn)["Attributes"],
                "subscriptions": sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"],
            }
            for arn in arns
        ]
    cloudwatch = boto3.client("cloudwatch", region_name=dashboard_region, endpoint_url=endpoint)
    try:
        found = cloudwatch.get_dashboard(DashboardName=dashboard)
        out["dashboard"] = json.loads(found["DashboardBody"])
    except cloudwatch.exceptions.ResourceNotFound:
        pass
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
