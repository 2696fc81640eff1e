"""The emulator's additions to moto: global-cluster switchover, failover,
cross-region member removal, deleted members dropped, deletion protection
lifted, and a global cluster made from an existing cluster.

Each test drives moto in-process through boto3 (the ``aws`` fixture applies
``emulator_ext``), exactly as the emulator's server would answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

import emulator_ext

PRIMARY = "us-east-1"
SECONDARY = "us-west-2"
GLOBAL_ID = "aurora-global-global-test"


def make_pair(aws: Any) -> dict[str, Any]:
    """A global cluster, its writer in us-east-1 and a reader in us-west-2."""
    east = aws.client("rds", region_name=PRIMARY)
    west = aws.client("rds", region_name=SECONDARY)
    east.create_global_cluster(
        GlobalClusterIdentifier=GLOBAL_ID, Engine="aurora-postgresql", EngineVersion="14.6", StorageEncrypted=True
    )
    primary = east.create_db_cluster(
        DBClusterIdentifier="aurora-cluster-us-east-1-test",
        Engine="aurora-postgresql",
        EngineVersion="14.6",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-real-password-1",
        GlobalClusterIdentifier=GLOBAL_ID,
    )["DBCluster"]
    secondary = west.create_db_cluster(
        DBClusterIdentifier="aurora-cluster-us-west-2-test",
        Engine="aurora-postgresql",
        EngineVersion="14.6",
        GlobalClusterIdentifier=GLOBAL_ID,
    )["DBCluster"]
    return {"east": east, "west": west, "primary": primary["DBClusterArn"], "secondary": secondary["DBClusterArn"]}


def describe(client: Any) -> dict[str, Any]:
    return next(
        g for g in client.describe_global_clusters()["GlobalClusters"] if g["GlobalClusterIdentifier"] == GLOBAL_ID
    )


def writer(global_cluster: dict[str, Any]) -> list[str]:
    return [m["DBClusterArn"] for m in global_cluster["GlobalClusterMembers"] if m["IsWriter"]]


def test_apply_is_idempotent(aws):
    emulator_ext.apply()
    emulator_ext.apply()
    assert aws.client("sts", region_name="us-east-1").get_caller_identity()["Account"]


def test_switchover_makes_the_target_the_writer_and_the_old_writer_a_reader(aws):
    pair = make_pair(aws)
    answer = pair["west"].switchover_global_cluster(
        GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["secondary"]
    )["GlobalCluster"]
    assert answer["Status"] == "switching-over"
    assert answer["FailoverState"] == {
        "Status": "pending",
        "FromDbClusterArn": pair["primary"],
        "ToDbClusterArn": pair["secondary"],
        "IsDataLossAllowed": False,
    }
    after = describe(pair["east"])
    assert after["Status"] == "available"
    assert "FailoverState" not in after
    assert writer(after) == [pair["secondary"]]
    writer_member = next(m for m in after["GlobalClusterMembers"] if m["IsWriter"])
    assert writer_member["Readers"] == [pair["primary"]]


def test_switchover_back_restores_the_original_writer(aws):
    pair = make_pair(aws)
    pair["west"].switchover_global_cluster(
        GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["secondary"]
    )
    pair["east"].switchover_global_cluster(GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["primary"])
    assert writer(describe(pair["west"])) == [pair["primary"]]


def test_failover_with_data_loss_reports_it_and_flips_the_writer(aws):
    pair = make_pair(aws)
    answer = pair["west"].failover_global_cluster(
        GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["secondary"], AllowDataLoss=True
    )["GlobalCluster"]
    assert answer["Status"] == "failing-over"
    assert answer["FailoverState"]["IsDataLossAllowed"] is True
    assert writer(describe(pair["west"])) == [pair["secondary"]]


def test_failover_without_allow_data_loss_is_a_switchover(aws):
    pair = make_pair(aws)
    answer = pair["west"].failover_global_cluster(
        GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["secondary"]
    )["GlobalCluster"]
    assert answer["Status"] == "switching-over"
    assert answer["FailoverState"]["IsDataLossAllowed"] is False


def test_failover_rejects_allow_data_loss_with_switchover(aws):
    pair = make_pair(aws)
    with pytest.raises(ClientError) as error:
        pair["west"].failover_global_cluster(
            GlobalClusterIdentifier=GLOBAL_ID,
            TargetDbClusterIdentifier=pair["secondary"],
            AllowDataLoss=True,
            Switchover=True,
        )
    assert error.value.response["Error"]["Code"] == "InvalidParameterCombination"


def test_switch_in_progress_is_reported_until_done(aws, switch_seconds):
    switch_seconds(3600)
    pair = make_pair(aws)
    pair["west"].switchover_global_cluster(
        GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["secondary"]
    )
    during = describe(pair["east"])
    assert during["Status"] == "switching-over"
    assert during["FailoverState"]["Status"] == "switching-over"
    assert writer(during) == [pair["primary"]]
    with pytest.raises(ClientError) as error:
        pair["east"].switchover_global_cluster(
            GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["primary"]
        )
    assert error.value.response["Error"]["Code"] == "InvalidGlobalClusterStateFault"


def test_switchover_to_the_writer_is_refused(aws):
    pair = make_pair(aws)
    with pytest.raises(ClientError) as error:
        pair["east"].switchover_global_cluster(
            GlobalClusterIdentifier=GLOBAL_ID, TargetDbClusterIdentifier=pair["primary"]
        )
    assert error.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_switchover_to_a_non_member_or_unknown_global_cluster_fails(aws):
    pair = make_pair(aws)
    with pytest.raises(ClientError) as error:
        pair["east"].switchover_global_cluster(
            GlobalClusterIdentifier=GLOBAL_ID,
            TargetDbClusterIdentifier="arn:aws:rds:us-west-2:123456789012:cluster:nope",
        )
    assert error.value.response["Error"]["Code"] == "DBClusterNotFoundFault"
    with pytest.raises(ClientError) as error:
        pair["east"].switchover_global_cluster(
            GlobalClusterIdentifier="nope", TargetDbClusterIdentifier=pair["secondary"]
        )
    assert error.value.response["Error"]["Code"] == "GlobalClusterNotFoundFault"


def test_remove_from_global_cluster_works_across_regions(aws):
    pair = make_pair(aws)
    answer = pair["west"].remove_from_global_cluster(
        GlobalClusterIdentifier=GLOBAL_ID, DbClusterIdentifier=pair["secondary"]
    )["GlobalCluster"]
    assert [m["DBClusterArn"] for m in answer["GlobalClusterMembers"]] == [pair["primary"]]
    assert [m["DBClusterArn"] for m in describe(pair["east"])["GlobalClusterMembers"]] == [pair["primary"]]
    detached = pair["west"].describe_db_clusters(DBClusterIdentifier="aurora-cluster-us-west-2-test")["DBClusters"][0]
    assert not detached.get("GlobalClusterIdentifier")


def test_remove_a_cluster_that_is_no_longer_a_member_fails_cleanly(aws):
    pair = make_pair(aws)
    pair["west"].remove_from_global_cluster(GlobalClusterIdentifier=GLOBAL_ID, DbClusterIdentifier=pair["secondary"])
    with pytest.raises(ClientError) as error:
        pair["west"].remove_from_global_cluster(
            GlobalClusterIdentifier=GLOBAL_ID, DbClusterIdentifier=pair["secondary"]
        )
    assert error.value.response["Error"]["Code"] == "DBClusterNotFoundFault"


def test_deleted_members_are_no_longer_listed_so_the_global_cluster_can_go(aws):
    pair = make_pair(aws)
    pair["west"].delete_db_cluster(DBClusterIdentifier="aurora-cluster-us-west-2-test", SkipFinalSnapshot=True)
    assert [m["DBClusterArn"] for m in describe(pair["east"])["GlobalClusterMembers"]] == [pair["primary"]]
    pair["east"].delete_db_cluster(DBClusterIdentifier="aurora-cluster-us-east-1-test", SkipFinalSnapshot=True)
    assert describe(pair["east"])["GlobalClusterMembers"] == []
    pair["east"].delete_global_cluster(GlobalClusterIdentifier=GLOBAL_ID)
    assert pair["east"].describe_global_clusters()["GlobalClusters"] == []


def test_modify_global_cluster_sets_deletion_protection(aws):
    east = aws.client("rds", region_name=PRIMARY)
    east.create_global_cluster(GlobalClusterIdentifier=GLOBAL_ID, Engine="aurora-postgresql", DeletionProtection=True)
    answer = east.modify_global_cluster(GlobalClusterIdentifier=GLOBAL_ID, DeletionProtection=False)["GlobalCluster"]
    assert answer["DeletionProtection"] is False
    assert describe(east)["DeletionProtection"] is False


def test_global_cluster_from_an_existing_cluster_has_it_as_writer(aws):
    east = aws.client("rds", region_name=PRIMARY)
    source = east.create_db_cluster(
        DBClusterIdentifier="standalone",
        Engine="aurora-postgresql",
        EngineVersion="14.6",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-real-password-1",
    )["DBCluster"]
    east.create_global_cluster(GlobalClusterIdentifier=GLOBAL_ID, SourceDBClusterIdentifier=source["DBClusterArn"])
    assert writer(describe(east)) == [source["DBClusterArn"]]
    cluster = east.describe_db_clusters(DBClusterIdentifier="standalone")["DBClusters"][0]
    assert cluster["GlobalClusterIdentifier"] == GLOBAL_ID


def test_a_new_aurora_postgresql_parameter_group_has_the_force_ssl_default(aws):
    east = aws.client("rds", region_name=PRIMARY)
    east.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="params", DBParameterGroupFamily="aurora-postgresql14", Description="d"
    )
    found = {
        p["ParameterName"]: p
        for p in east.describe_db_cluster_parameters(DBClusterParameterGroupName="params")["Parameters"]
    }
    assert found["rds.force_ssl"]["ParameterValue"] == "0"
    assert found["rds.force_ssl"]["IsModifiable"] is True
    east.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="params",
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "pending-reboot"}],
    )
    found = {
        p["ParameterName"]: p
        for p in east.describe_db_cluster_parameters(DBClusterParameterGroupName="params")["Parameters"]
    }
    assert found["rds.force_ssl"]["ParameterValue"] == "1"
