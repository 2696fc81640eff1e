"""Emulator extension: DeleteTrail takes a trail's ARN as well as its name."""

from __future__ import annotations

REGION = "us-east-1"


def make_trail(aws):
    aws.client("s3", region_name=REGION).create_bucket(Bucket="audit")
    cloudtrail = aws.client("cloudtrail", region_name=REGION)
    arn = cloudtrail.create_trail(Name="trail-audit", S3BucketName="audit", IsMultiRegionTrail=True)["TrailARN"]
    return cloudtrail, arn


def test_deleting_by_arn_deletes_the_trail(aws):
    cloudtrail, arn = make_trail(aws)

    cloudtrail.delete_trail(Name=arn)

    assert cloudtrail.describe_trails()["trailList"] == []


def test_deleting_by_name_still_works(aws):
    cloudtrail = make_trail(aws)[0]

    cloudtrail.delete_trail(Name="trail-audit")

    assert cloudtrail.describe_trails()["trailList"] == []
