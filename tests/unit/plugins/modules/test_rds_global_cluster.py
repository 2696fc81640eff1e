"""rds_global_cluster through moto in-process, with the emulator's global-cluster
operations (switchover, failover, cross-region removal) applied by the ``aws`` fixture."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.healthcare.dr.plugins.modules import rds_global_cluster

GLOBAL_ID = "aurora-global-global-test"
EAST = "us-east-1"
WEST = "us-west-2"


@pytest.fixture(autouse=True)
def _fast_polls(monkeypatch):
    monkeypatch.setattr(rds_global_cluster, "POLL_DELAY", 0.05)


def args(**extra: Any) -> dict[str, Any]:
    return dict({"global_cluster_identifier": GLOBAL_ID, "region": EAST}, **extra)


def create_args(**extra: Any) -> dict[str, Any]:
    return args(
        engine="aurora-postgresql", engine_version="14.6", storage_encrypted=True, deletion_protection=False, **extra
    )


def add_cluster(aws: Any, region: str, primary: bool) -> str:
    request = {
        "DBClusterIdentifier": f"aurora-cluster-{region}-test",
        "Engine": "aurora-postgresql",
        "EngineVersion": "14.6",
        "GlobalClusterIdentifier": GLOBAL_ID,
    }
    if primary:
        request.update(MasterUsername="dbadmin", MasterUserPassword="not-a-real-password-1")
    return aws.client("rds", region_name=region).create_db_cluster(**request)["DBCluster"]["DBClusterArn"]


@pytest.fixture
def pair(aws, run_module) -> dict[str, str]:
    """The global cluster made by the module, a writer in us-east-1, a reader in us-west-2."""
    assert run_module(rds_global_cluster, create_args())["changed"]
    return {"primary": add_cluster(aws, EAST, True), "secondary": add_cluster(aws, WEST, False)}


def described(aws: Any) -> list[dict[str, Any]]:
    return [
        g
        for g in aws.client("rds", region_name=EAST).describe_global_clusters()["GlobalClusters"]
        if g["GlobalClusterIdentifier"] == GLOBAL_ID
    ]


def writer(aws: Any) -> list[str]:
    return [m["DBClusterArn"] for m in described(aws)[0]["GlobalClusterMembers"] if m["IsWriter"]]


# --- present ---------------------------------------------------------------


def test_creates_the_global_cluster(aws, run_module):
    result = run_module(rds_global_cluster, create_args())
    assert result["changed"] is True
    assert result["global_cluster"]["engine"] == "aurora-postgresql"
    assert result["global_cluster"]["engine_version"] == "14.6"
    assert result["global_cluster"]["storage_encrypted"] is True
    assert result["writer_cluster_arn"] is None
    assert result["reader_cluster_arns"] == []
    assert len(described(aws)) == 1


def test_create_is_idempotent(aws, run_module):
    run_module(rds_global_cluster, create_args())
    again = run_module(rds_global_cluster, create_args())
    assert again["changed"] is False
    assert len(described(aws)) == 1


def test_create_in_check_mode_writes_nothing_and_shows_a_diff(aws, run_module):
    result = run_module(rds_global_cluster, create_args(), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["engine_version"] == "14.6"
    assert described(aws) == []


def test_create_needs_an_engine_or_a_source(aws, run_module):
    result = run_module(rds_global_cluster, args())
    assert result["failed"] is True
    assert "engine or source_db_cluster_arn is required" in result["msg"]


def test_creates_from_an_existing_cluster_which_becomes_the_writer(aws, run_module):
    arn = aws.client("rds", region_name=EAST).create_db_cluster(
        DBClusterIdentifier="standalone",
        Engine="aurora-postgresql",
        EngineVersion="14.6",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-real-password-1",
    )["DBCluster"]["DBClusterArn"]
    result = run_module(rds_global_cluster, args(source_db_cluster_arn=arn))
    assert result["changed"] is True
    assert result["writer_cluster_arn"] == arn
    assert run_module(rds_global_cluster, args(source_db_cluster_arn=arn))["changed"] is False


def test_reports_the_writer_and_the_readers(pair, run_module):
    result = run_module(rds_global_cluster, create_args())
    assert result["changed"] is False
    assert result["writer_cluster_arn"] == pair["primary"]
    assert result["reader_cluster_arns"] == [pair["secondary"]]
    assert len(result["global_cluster"]["global_cluster_members"]) == 2


def test_an_engine_version_change_is_refused_naming_the_cluster(aws, run_module):
    run_module(rds_global_cluster, create_args())
    result = run_module(rds_global_cluster, create_args() | {"engine_version": "15.4"})
    assert result["failed"] is True
    assert GLOBAL_ID in result["msg"] and "engine_version" in result["msg"]


def test_deletion_protection_is_changed_in_place(aws, run_module):
    run_module(rds_global_cluster, create_args())
    check = run_module(rds_global_cluster, args(deletion_protection=True), check_mode=True, diff=True)
    assert check["changed"] is True
    assert check["diff"]["after"]["deletion_protection"] is True
    assert described(aws)[0]["DeletionProtection"] is False
    result = run_module(rds_global_cluster, args(deletion_protection=True))
    assert result["changed"] is True
    assert described(aws)[0]["DeletionProtection"] is True
    assert run_module(rds_global_cluster, args(deletion_protection=True))["changed"] is False


# --- switched_over / failed_over -------------------------------------------


def test_switches_over_to_the_dr_cluster_and_back(pair, run_module, aws):
    to_dr = run_module(rds_global_cluster, args(state="switched_over", target_cluster_arn=pair["secondary"]))
    assert to_dr["changed"] is True
    assert to_dr["writer_cluster_arn"] == pair["secondary"]
    assert to_dr["reader_cluster_arns"] == [pair["primary"]]
    assert writer(aws) == [pair["secondary"]]

    back = run_module(rds_global_cluster, args(state="switched_over", target_cluster_arn=pair["primary"], region=WEST))
    assert back["changed"] is True
    assert writer(aws) == [pair["primary"]]


def test_switchover_is_a_no_op_when_the_target_already_writes(pair, run_module):
    result = run_module(rds_global_cluster, args(state="switched_over", target_cluster_arn=pair["primary"]))
    assert result["changed"] is False
    assert result["writer_cluster_arn"] == pair["primary"]


def test_switchover_in_check_mode_changes_nothing(pair, run_module, aws):
    result = run_module(
        rds_global_cluster,
        args(state="switched_over", target_cluster_arn=pair["secondary"]),
        check_mode=True,
        diff=True,
    )
    assert result["changed"] is True
    assert result["diff"]["before"]["writer"] == pair["primary"]
    assert result["diff"]["after"]["writer"] == pair["secondary"]
    assert writer(aws) == [pair["primary"]]


def test_fails_over_with_allow_data_loss(pair, run_module, aws):
    result = run_module(
        rds_global_cluster,
        args(state="failed_over", target_cluster_arn=pair["secondary"], allow_data_loss=True, region=WEST),
    )
    assert result["changed"] is True
    assert writer(aws) == [pair["secondary"]]
    again = run_module(
        rds_global_cluster,
        args(state="failed_over", target_cluster_arn=pair["secondary"], allow_data_loss=True, region=WEST),
    )
    assert again["changed"] is False


def test_failover_without_allow_data_loss_is_refused(pair, run_module, aws):
    result = run_module(rds_global_cluster, args(state="failed_over", target_cluster_arn=pair["secondary"]))
    assert result["failed"] is True
    assert "allow_data_loss" in result["msg"]
    assert writer(aws) == [pair["primary"]]


def test_switchover_to_a_non_member_fails_with_one_line(pair, run_module):
    result = run_module(
        rds_global_cluster,
        args(state="switched_over", target_cluster_arn="arn:aws:rds:us-west-2:123456789012:cluster:other"),
    )
    assert result["failed"] is True
    assert "\n" not in result["msg"]
    assert GLOBAL_ID in result["msg"] and "not a member" in result["msg"]


def test_switchover_of_a_missing_global_cluster_fails(aws, run_module):
    result = run_module(
        rds_global_cluster, args(state="switched_over", target_cluster_arn="arn:aws:rds:us-west-2:1:cluster:x")
    )
    assert result["failed"] is True
    assert "global cluster not found" in result["msg"]


def test_switchover_waits_for_the_new_writer(pair, run_module, aws, switch_seconds):
    switch_seconds(0.3)
    result = run_module(rds_global_cluster, args(state="switched_over", target_cluster_arn=pair["secondary"]))
    assert result["changed"] is True
    assert result["writer_cluster_arn"] == pair["secondary"]
    assert result["global_cluster"]["status"] == "available"
    assert "failover_state" not in result["global_cluster"]


def test_switchover_wait_is_bounded(pair, run_module, switch_seconds):
    switch_seconds(3600)
    result = run_module(
        rds_global_cluster, args(state="switched_over", target_cluster_arn=pair["secondary"], wait_timeout=1)
    )
    assert result["failed"] is True
    assert result["msg"].startswith("Timed out after 1s waiting for")


def test_an_aws_error_becomes_one_line_naming_cluster_and_operation(pair, run_module, switch_seconds):
    # The emulator refuses a second switchover while one is in progress.
    switch_seconds(3600)
    run_module(rds_global_cluster, args(state="switched_over", target_cluster_arn=pair["secondary"], wait=False))
    result = run_module(
        rds_global_cluster, args(state="failed_over", target_cluster_arn=pair["primary"], allow_data_loss=True)
    )
    assert result["failed"] is True
    assert result["msg"].startswith(f"Couldn't fail over global cluster {GLOBAL_ID} to {pair['primary']}")
    assert (
        "InvalidGlobalClusterStateFault" in result["msg"]
        or result.get("error", {}).get("code") == "InvalidGlobalClusterStateFault"
    )


# --- member_removed / absent -------------------------------------------------


def test_removes_the_dr_member_once(pair, run_module, aws):
    first = run_module(rds_global_cluster, args(state="member_removed", cluster_arn=pair["secondary"]))
    assert first["changed"] is True
    assert first["reader_cluster_arns"] == []
    assert [m["DBClusterArn"] for m in described(aws)[0]["GlobalClusterMembers"]] == [pair["primary"]]
    second = run_module(rds_global_cluster, args(state="member_removed", cluster_arn=pair["secondary"]))
    assert second["changed"] is False


def test_member_removal_in_check_mode_changes_nothing(pair, run_module, aws):
    result = run_module(
        rds_global_cluster, args(state="member_removed", cluster_arn=pair["secondary"]), check_mode=True
    )
    assert result["changed"] is True
    assert len(described(aws)[0]["GlobalClusterMembers"]) == 2


def test_delete_refuses_while_members_remain(pair, run_module, aws):
    result = run_module(rds_global_cluster, args(state="absent"))
    assert result["failed"] is True
    assert "still has members" in result["msg"]
    assert len(described(aws)) == 1


def test_deletes_after_the_members_are_gone_and_twice_is_safe(pair, run_module, aws):
    east, west = aws.client("rds", region_name=EAST), aws.client("rds", region_name=WEST)
    west.delete_db_cluster(DBClusterIdentifier=f"aurora-cluster-{WEST}-test", SkipFinalSnapshot=True)
    east.delete_db_cluster(DBClusterIdentifier=f"aurora-cluster-{EAST}-test", SkipFinalSnapshot=True)
    check = run_module(rds_global_cluster, args(state="absent"), check_mode=True)
    assert check["changed"] is True
    assert len(described(aws)) == 1
    assert run_module(rds_global_cluster, args(state="absent"))["changed"] is True
    assert described(aws) == []
    assert run_module(rds_global_cluster, args(state="absent"))["changed"] is False


def test_delete_lifts_deletion_protection_when_asked(aws, run_module):
    run_module(rds_global_cluster, create_args() | {"deletion_protection": True})
    result = run_module(rds_global_cluster, args(state="absent", deletion_protection=False))
    assert result["changed"] is True
    assert described(aws) == []
