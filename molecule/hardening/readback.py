"""Read back what the audit and edge roles made that no amazon.aws / community.aws
_info module shows: the audit buckets' settings, AWS Config's recorders,
channels and recording state, and the CloudFront distribution's configuration.
Prints JSON; talks only to the endpoint it is given."""

import json
import sys

import boto3
from botocore.exceptions import ClientError


def bucket(s3, name):
    def read(call, key=None, **kwargs):
        try:
            found = getattr(s3, call)(Bucket=name, **kwargs)
        except ClientError as e:
            return {"error": e.response["Error"]["Code"]}
        return found.get(key) if key else {k: v for k, v in found.items() if k != "ResponseMetadata"}

    return {
        "versioning": read("get_bucket_versioning"),
        "encryption": read("get_bucket_encryption", "ServerSideEncryptionConfiguration"),
        "public_access": read("get_public_access_block", "PublicAccessBlockConfiguration"),
        "policy": json.loads(read("get_bucket_policy", "Policy") or "{}"),
        "logging": read("get_bucket_logging", "LoggingEnabled"),
        "object_lock": read("get_object_lock_configuration", "ObjectLockConfiguration"),
    }


def main(endpoint, primary, standby, audit_bucket, log_bucket, cloudfront_reference):
    out = {"buckets": {}, "config": {}, "cloudfront": None}
    s3 = boto3.client("s3", region_name=primary, endpoint_url=endpoint)
    for name in (audit_bucket, log_bucket):
        out["buckets"][name] = bucket(s3, name)
    for region in (primary, standby):
        config = boto3.client("config", region_name=region, endpoint_url=endpoint)
        out["config"][region] = {
            "recorders": config.describe_configuration_recorders()["ConfigurationRecorders"],
            "status": config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"],
            "channels": config.describe_delivery_channels()["DeliveryChannels"],
        }
    cloudfront = boto3.client("cloudfront", region_name="us-east-1", endpoint_url=endpoint)
    for summary in cloudfront.list_distributions().get("DistributionList", {}).get("Items", []):
        found = cloudfront.get_distribution(Id=summary["Id"])["Distribution"]
        if found["DistributionConfig"]["CallerReference"] == cloudfront_reference:
            tags = cloudfront.list_tags_for_resource(Resource=found["ARN"])["Tags"].get("Items", [])
            out["cloudfront"] = {
                "id": found["Id"],
                "config": found["DistributionConfig"],
                "tags": {t["Key"]: t["Value"] for t in tags},
            }
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:])
