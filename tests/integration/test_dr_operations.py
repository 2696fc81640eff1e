"""The DR playbooks' guards, cheaply: failover.yml and dr_drill.yml refuse before any AWS call
unless the operator names the environment, and the refusal says how to confirm.
The drill itself (deploy, switchover, failover with the primary's endpoint
closed, rejoin, destroy) is molecule/dr_drill."""

from __future__ import annotations


def test_failover_refuses_without_confirmation(playbook):
    result = playbook("failover.yml")

    assert result.returncode != 0
    assert "dr_confirm_failover: an unplanned failover of dev may lose the writes not yet replicated" in result.stdout
    assert "rerun with -e dr_confirm_failover=dev" in result.stdout
    # Refused before the failover play: no task of it ran.
    assert "Fail over to the surviving region" not in result.stdout


def test_failover_refuses_the_wrong_environment(playbook):
    result = playbook("failover.yml", "-e", "dr_confirm_failover=prod")

    assert result.returncode != 0
    assert "rerun with -e dr_confirm_failover=dev" in result.stdout


def test_failover_refuses_a_region_outside_the_pair(playbook):
    result = playbook("failover.yml", "-e", "dr_confirm_failover=dev", "-e", "dr_failover_region=eu-west-1")

    assert result.returncode != 0
    assert "dr_failover_region: eu-west-1 is not one of the pair's regions" in result.stdout
    assert "Fail over to the surviving region" not in result.stdout


def test_a_drill_refuses_without_confirmation(playbook):
    result = playbook("dr_drill.yml", "-e", "dr_confirm_drill=prod")

    assert result.returncode != 0
    assert "dr_confirm_drill: a drill of dev switches its writer to the other region and back" in result.stdout
    assert "rerun with -e dr_confirm_drill=dev to confirm" in result.stdout
    # Refused before anything was read or switched: no step of the drill ran.
    assert "Read the pair's readiness before the drill" not in result.stdout
