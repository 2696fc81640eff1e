import pytest

from ansible_collections.healthcare.dr.plugins.filter.stack_names import FilterModule
from ansible_collections.healthcare.dr.plugins.module_utils.names import GLOBAL, OTHER, REGIONAL, stack_names


def test_regional_names_follow_the_naming_rule():
    names = stack_names("us-east-1", "dev")
    assert names["vpc"] == "vpc-main-us-east-1-dev"
    assert names["aurora_cluster"] == "aurora-cluster-us-east-1-dev"
    assert names["lambda_function"] == "lambda-app-us-east-1-dev"


def test_global_names_use_global_as_region_in_every_map():
    east, west = stack_names("us-east-1", "dev"), stack_names("us-west-2", "dev")
    assert east["aurora_global_cluster"] == west["aurora_global_cluster"] == "aurora-global-global-dev"
    assert {k: east[k] for k in GLOBAL} == {k: west[k] for k in GLOBAL}


def test_patterns_fill_with_percent_formatting():
    names = stack_names("us-west-2", "dev")
    assert names["aurora_instance"] % 2 == "aurora-instance-2-us-west-2-dev"
    assert names["subnet"] % ("app", 1) == "subnet-app-1-us-west-2-dev"
    assert names["bucket"] % "data" == names["data_bucket"]


def test_every_key_is_named_and_no_two_resources_share_a_name():
    names = stack_names("eu-central-1", "prod")
    assert set(names) == set(REGIONAL) | set(GLOBAL) | set(OTHER)
    assert len(set(names.values())) == len(names)


def test_alarms_are_named_per_region():
    names = stack_names("us-west-2", "dev")
    assert names["health_check_alarm"] == "alarm-health-check-us-west-2-dev"
    assert names["rds_cpu_alarm"] == "alarm-rds-cpu-us-west-2-dev"
    assert names["rds_connections_alarm"] == "alarm-rds-connections-us-west-2-dev"
    assert names["lambda_errors_alarm"] == "alarm-lambda-errors-us-west-2-dev"
    assert names["lambda_throttles_alarm"] == "alarm-lambda-throttles-us-west-2-dev"
    assert names["alb_unhealthy_hosts_alarm"] == "alarm-alb-unhealthy-hosts-us-west-2-dev"
    assert names["replication_lag_alarm"] == "alarm-replication-lag-us-west-2-dev"


def test_failover_record_defaults_to_app_in_the_suffix_zone():
    names = stack_names("us-east-1", "dev")
    assert names["failover_domain"] == "dev.healthcare-dr.example.com"
    assert names["failover_record"] % names["failover_domain"] == "app.dev.healthcare-dr.example.com"
    assert names["failover_record"] % "dr.example.org" == "app.dr.example.org"
    assert stack_names("us-west-2", "dev")["failover_domain"] == names["failover_domain"]


def test_the_replication_rule_is_named_after_the_region_it_replicates_to():
    assert stack_names("us-west-2", "dev")["s3_replication_rule"] == "replicate-all-to-us-west-2"


def test_load_balancer_names_fit_elb_limit():
    names = stack_names("ap-southeast-2", "staging-long-1")
    assert len(names["load_balancer"]) <= 32 and len(names["target_group"]) <= 32
    assert names["load_balancer"] != names["target_group"]
    assert stack_names("us-east-1", "dev")["load_balancer"] == "alb-app-us-east-1-dev"


def test_a_bad_suffix_is_refused_naming_it():
    with pytest.raises(ValueError, match="resource_name: suffix 'Dev'"):
        stack_names("us-east-1", "Dev")


def test_is_registered_as_a_filter():
    assert FilterModule().filters()["stack_names"] is stack_names
