"""An emulator of its own for the integration tests, on TEST port + 1 so it
never meets the one `make deploy` leaves running or molecule's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
PORT = str(int(os.environ.get("DR_INTEGRATION_PORT", "4578")))


def _emulator(command: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "emulator.py"), command],
        env={**os.environ, "DR_EMULATOR_PORT": PORT},
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def emulator():
    _emulator("start")
    _emulator("reset")
    yield f"http://127.0.0.1:{PORT}"
    _emulator("stop")


@pytest.fixture
def stack_vpcs(emulator):
    """The stack's VPCs in a region of the emulator, as a function."""

    def _vpcs(region: str) -> list:
        ec2 = boto3.client(
            "ec2",
            region_name=region,
            endpoint_url=emulator,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        return ec2.describe_vpcs(Filters=[{"Name": "tag:ManagedBy", "Values": ["healthcare.dr"]}])["Vpcs"]

    return _vpcs


@pytest.fixture
def playbook(emulator):
    """Run ansible-playbook on inventories/local against the test emulator."""

    def _run(name: str, *extra: str) -> subprocess.CompletedProcess:
        bin_dir = Path(sys.executable).parent
        env = {
            **os.environ,
            "DR_EMULATOR_PORT": PORT,
            "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
            "ANSIBLE_NOCOLOR": "1",
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        return subprocess.run(
            [str(bin_dir / "ansible-playbook"), "-i", "inventories/local", f"playbooks/{name}", *extra],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return _run
