"""tools/emulator_snapshot.py: the emulator's state saved, emptied and loaded back, and still usable.

moto in-process stands in for the server: the same backends the server's routes read.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from moto.core.base_backend import BackendDict

import emulator_snapshot

EAST, WEST = "us-east-1", "us-west-2"


def _package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


def build(aws: Any) -> dict[str, Any]:
    """One resource of most kinds the stack makes, in two regions."""
    made: dict[str, Any] = {}
    for region in (EAST, WEST):
        ec2 = aws.client("ec2", region_name=region)
        made[f"vpc-{region}"] = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    kms = aws.client("kms", region_name=EAST)
    made["key"] = kms.create_key(Description="stack key")["KeyMetadata"]["KeyId"]
    made["ciphertext"] = kms.encrypt(KeyId=made["key"], Plaintext=b"phi")["CiphertextBlob"]
    iam = aws.client("iam", region_name=EAST)
    role = iam.create_role(RoleName="iam-lambda-test", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"}))
    function = aws.client("lambda", region_name=EAST).create_function(
        FunctionName="lambda-app-test", Runtime="python3.12", Role=role["Role"]["Arn"], Handler="app.handler",
        Code={"ZipFile": _package()},
    )  # fmt: skip
    made["code_sha"] = function["CodeSha256"]
    s3 = aws.client("s3", region_name=EAST)
    s3.create_bucket(Bucket="s3-data-test")
    s3.put_object(Bucket="s3-data-test", Key="record.json", Body=b'{"patient": 1}')
    rds = aws.client("rds", region_name=EAST)
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-cluster-test", Engine="aurora-postgresql", EngineVersion="14.6",
        MasterUsername="dbadmin", MasterUserPassword="not-a-real-password-1",
    )  # fmt: skip
    aws.client("events", region_name=WEST).create_event_bus(Name="events-bus-test")
    return made


def reset() -> None:
    BackendDict.reset()


def test_a_loaded_snapshot_holds_what_was_saved_and_nothing_made_since(aws):
    made = build(aws)
    data = emulator_snapshot.dumps()
    aws.client("events", region_name=EAST).create_event_bus(Name="made-after-the-snapshot")
    reset()
    assert aws.client("rds", region_name=EAST).describe_db_clusters()["DBClusters"] == []

    services = emulator_snapshot.loads(data)

    assert {"ec2", "kms", "lambda", "s3", "rds", "events", "iam"} <= set(services)
    for region in (EAST, WEST):
        vpcs = aws.client("ec2", region_name=region).describe_vpcs(VpcIds=[made[f"vpc-{region}"]])["Vpcs"]
        assert [v["CidrBlock"] for v in vpcs] == ["10.0.0.0/16"]
    assert [c["DBClusterIdentifier"] for c in aws.client("rds", region_name=EAST).describe_db_clusters()["DBClusters"]] == [
        "aurora-cluster-test"
    ]
    body = aws.client("s3", region_name=EAST).get_object(Bucket="s3-data-test", Key="record.json")["Body"].read()
    assert body == b'{"patient": 1}'
    function = aws.client("lambda", region_name=EAST).get_function(FunctionName="lambda-app-test")
    assert function["Configuration"]["CodeSha256"] == made["code_sha"]
    buses = [b["Name"] for b in aws.client("events", region_name=EAST).list_event_buses()["EventBuses"]]
    assert "made-after-the-snapshot" not in buses
    assert "events-bus-test" in [
        b["Name"] for b in aws.client("events", region_name=WEST).list_event_buses()["EventBuses"]
    ]


def test_loaded_resources_keep_working(aws):
    made = build(aws)
    data = emulator_snapshot.dumps()
    reset()
    emulator_snapshot.loads(data)

    # The KMS key's material came back: what it encrypted before still decrypts.
    kms = aws.client("kms", region_name=EAST)
    assert kms.decrypt(CiphertextBlob=made["ciphertext"])["Plaintext"] == b"phi"
    # New resources join the loaded ones.
    ec2 = aws.client("ec2", region_name=EAST)
    subnet = ec2.create_subnet(VpcId=made["vpc-us-east-1"], CidrBlock="10.0.1.0/24")["Subnet"]
    assert subnet["VpcId"] == made["vpc-us-east-1"]
    aws.client("lambda", region_name=EAST).update_function_configuration(
        FunctionName="lambda-app-test", Environment={"Variables": {"DR_IS_PRIMARY": "true"}}
    )
    # Deletes work, and a second load brings the snapshot back whole.
    aws.client("rds", region_name=EAST).delete_db_cluster(DBClusterIdentifier="aurora-cluster-test", SkipFinalSnapshot=True)
    emulator_snapshot.loads(data)
    assert aws.client("rds", region_name=EAST).describe_db_clusters()["DBClusters"]
    assert aws.client("ec2", region_name=EAST).describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [made["vpc-us-east-1"]]}]
    )["Subnets"] == []


def test_save_and_load_by_name_in_the_emulator_folder(aws, tmp_path):
    build(aws)
    path = emulator_snapshot.save(tmp_path, "network")
    assert path == tmp_path / "network.pickle" and path.stat().st_size > 0
    reset()
    assert "rds" in emulator_snapshot.load(tmp_path, "network")


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "Upper", "", "a b"])
def test_a_snapshot_is_named_never_a_path(tmp_path, name):
    with pytest.raises(ValueError, match="snapshot name"):
        emulator_snapshot.path_for(tmp_path, name)


def test_a_snapshot_of_another_format_is_refused(aws):
    import pickle

    with pytest.raises(ValueError, match="snapshot format"):
        emulator_snapshot.loads(pickle.dumps({"format": 0, "backends": []}))


def test_install_serves_both_routes(tmp_path):
    from moto.moto_api._internal import urls

    emulator_snapshot.install(tmp_path)
    assert {"{0}/moto-api/dr/snapshot", "{0}/moto-api/dr/restore"} <= set(urls.url_paths)
