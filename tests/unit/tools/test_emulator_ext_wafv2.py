"""Emulator extension: a web ACL lists the resources it is associated with."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"
ALB = f"arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/app/alb-app/50dc6c495c0c9188"
API = f"arn:aws:apigateway:{REGION}::/restapis/abc123/stages/prod"


def make_acl(aws):
    wafv2 = aws.client("wafv2", region_name=REGION)
    acl = wafv2.create_web_acl(
        Name="waf-app",
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "waf"},
    )["Summary"]
    return wafv2, acl["ARN"]


def test_a_new_acl_lists_no_resources(aws):
    wafv2, arn = make_acl(aws)

    assert wafv2.list_resources_for_web_acl(WebACLArn=arn)["ResourceArns"] == []


def test_associated_load_balancers_are_listed_and_dissociated_ones_are_not(aws):
    wafv2, arn = make_acl(aws)
    wafv2.associate_web_acl(WebACLArn=arn, ResourceArn=ALB)
    wafv2.associate_web_acl(WebACLArn=arn, ResourceArn=API)

    assert wafv2.list_resources_for_web_acl(WebACLArn=arn)["ResourceArns"] == [ALB]
    assert wafv2.list_resources_for_web_acl(WebACLArn=arn, ResourceType="API_GATEWAY")["ResourceArns"] == [API]

    wafv2.disassociate_web_acl(ResourceArn=ALB)
    assert wafv2.list_resources_for_web_acl(WebACLArn=arn)["ResourceArns"] == []


def test_an_unknown_acl_is_not_found(aws):
    wafv2, arn = make_acl(aws)

    with pytest.raises(ClientError) as error:
        wafv2.list_resources_for_web_acl(WebACLArn=arn.replace("waf-app", "waf-none"))
    assert error.value.response["Error"]["Code"] == "WAFNonexistentItemException"
