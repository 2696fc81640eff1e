"""cloudfront_distribution driven through moto: create from an API-shaped
configuration, second run unchanged although CloudFront fills in defaults,
update, tags, check mode, and delete (disable first) twice."""

from __future__ import annotations

import copy

from ansible_collections.healthcare.dr.plugins.modules import cloudfront_distribution

REFERENCE = "cf-app-global-dev"
CONFIG = {
    "Comment": REFERENCE,
    "Enabled": True,
    "Origins": {
        "Items": [
            {
                "Id": "failover",
                "DomainName": "app.dev.healthcare-dr.example.com",
                "CustomOriginConfig": {
                    "HTTPPort": 80,
                    "HTTPSPort": 443,
                    "OriginProtocolPolicy": "https-only",
                    "OriginSslProtocols": {"Items": ["TLSv1.2"]},
                },
            }
        ]
    },
    "DefaultCacheBehavior": {
        "TargetOriginId": "failover",
        "ViewerProtocolPolicy": "https-only",
        "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    },
    "CacheBehaviors": {
        "Items": [
            {
                "PathPattern": "/health",
                "TargetOriginId": "failover",
                "ViewerProtocolPolicy": "https-only",
                "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            }
        ]
    },
}
ARGS = {"region": "us-east-1", "caller_reference": REFERENCE, "config": CONFIG, "tags": {"Environment": "dev"}}


def distributions(aws):
    client = aws.client("cloudfront", region_name="us-east-1")
    return client.list_distributions()["DistributionList"].get("Items", [])


def test_creates_the_distribution_with_counted_quantities_and_tags(aws, run_module):
    result = run_module(cloudfront_distribution, ARGS)

    assert result["changed"] is True
    config = result["distribution"]["distribution_config"]
    assert config["caller_reference"] == REFERENCE
    assert config["cache_behaviors"]["quantity"] == 1
    assert config["origins"]["items"][0]["custom_origin_config"]["origin_ssl_protocols"]["quantity"] == 1
    assert result["distribution"]["tags"] == {"Environment": "dev"}
    assert len(distributions(aws)) == 1


def test_second_run_is_not_changed_although_defaults_were_filled_in(aws, run_module):
    run_module(cloudfront_distribution, ARGS)

    assert run_module(cloudfront_distribution, ARGS)["changed"] is False


def test_a_changed_origin_policy_updates_the_same_distribution(aws, run_module):
    first = run_module(cloudfront_distribution, ARGS)
    config = copy.deepcopy(CONFIG)
    config["Origins"]["Items"][0]["CustomOriginConfig"]["OriginProtocolPolicy"] = "http-only"
    result = run_module(cloudfront_distribution, dict(ARGS, config=config))

    assert result["changed"] is True
    assert result["distribution"]["id"] == first["distribution"]["id"]
    origin = result["distribution"]["distribution_config"]["origins"]["items"][0]
    assert origin["custom_origin_config"]["origin_protocol_policy"] == "http-only"


def test_changed_tags_alone_are_a_change(aws, run_module):
    run_module(cloudfront_distribution, ARGS)
    result = run_module(cloudfront_distribution, dict(ARGS, tags={"Environment": "prod"}))

    assert result["changed"] is True
    assert result["distribution"]["tags"] == {"Environment": "prod"}


def test_check_mode_creates_nothing(aws, run_module):
    result = run_module(cloudfront_distribution, ARGS, check_mode=True)

    assert result["changed"] is True
    assert distributions(aws) == []


def test_absent_deletes_and_a_second_time_is_not_changed(aws, run_module):
    run_module(cloudfront_distribution, ARGS)
    absent = {"region": "us-east-1", "caller_reference": REFERENCE, "state": "absent", "wait_timeout": 30}

    assert run_module(cloudfront_distribution, absent, check_mode=True)["changed"] is True
    assert len(distributions(aws)) == 1
    assert run_module(cloudfront_distribution, absent)["changed"] is True
    assert distributions(aws) == []
    assert run_module(cloudfront_distribution, absent)["changed"] is False


def test_disabled_disables_once_and_creates_nothing(aws, run_module):
    disabled = {"region": "us-east-1", "caller_reference": REFERENCE, "state": "disabled"}
    assert run_module(cloudfront_distribution, disabled)["changed"] is False
    assert distributions(aws) == []

    run_module(cloudfront_distribution, ARGS)
    checked = run_module(cloudfront_distribution, disabled, check_mode=True)
    assert checked["changed"] is True
    assert checked["distribution"]["distribution_config"]["enabled"] is False
    assert distributions(aws)[0]["Enabled"] is True

    result = run_module(cloudfront_distribution, disabled)
    assert result["changed"] is True
    assert result["distribution"]["distribution_config"]["enabled"] is False
    assert distributions(aws)[0]["Enabled"] is False
    assert run_module(cloudfront_distribution, disabled)["changed"] is False
    # A disabled distribution that has deployed is deleted without another update.
    assert run_module(cloudfront_distribution, {**disabled, "state": "absent", "wait_timeout": 30})["changed"] is True
    assert distributions(aws) == []
