"""Bad input fails in the pre-flight play, before any AWS write, with one line
naming the variable; the emulator holds no VPC of the stack afterwards."""

import pytest


@pytest.mark.parametrize(
    "extra_vars, variable, says",
    [
        ({"dr_vpc_cidr": "10.0.0.0/16"}, "dr_vpc_cidr", "overlap"),
        ({"dr_region": "us-east-1"}, "dr_region", "two different regions"),
        ({"dr_environment_suffix": "Bad_1"}, "dr_environment_suffix", "lower-case letters or digits"),
        ({"dr_environment_suffix": "x"}, "dr_environment_suffix", "2 to 12"),
        ({"dr_primary_region": "eu-west-1"}, "dr_primary_region", "exactly one of the regions"),
        ({"dr_vpc_cidr": "10.0.0.1/16"}, "dr_vpc_cidr", "not an IPv4 CIDR block"),
        ({"dr_region": "useast1"}, "dr_region", "not an AWS region name"),
    ],
    ids=["overlapping-cidrs", "same-region-twice", "bad-suffix", "short-suffix", "no-primary", "bad-cidr", "bad-region"],
)
def test_bad_pair_fails_before_any_aws_write(playbook, stack_vpcs, extra_vars, variable, says):
    args = [arg for key, value in extra_vars.items() for arg in ("-e", f"{key}={value}")]
    result = playbook("site.yml", *args)
    assert result.returncode != 0
    failures = [line for line in result.stdout.splitlines() if f"{variable}:" in line and says in line]
    assert failures, result.stdout[-3000:]
    assert "Check the region pair" in result.stdout
    assert "Build each region's network" not in result.stdout
    assert stack_vpcs("us-east-1") == [] and stack_vpcs("us-west-2") == []


def test_destroy_refuses_without_confirmation(playbook):
    result = playbook("destroy.yml")
    assert result.returncode != 0
    assert "dr_confirm_destroy: destroying environment dev" in result.stdout


def test_destroy_refuses_the_wrong_environment(playbook):
    result = playbook("destroy.yml", "-e", "dr_confirm_destroy=prod")
    assert result.returncode != 0
    assert "rerun with -e dr_confirm_destroy=dev" in result.stdout
