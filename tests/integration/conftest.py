"""An emulator of its own for the integration tests, on TEST port + 1 so it
never meets the one `make deploy` leaves running or molecule's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import stack

ROOT = Path(__file__).resolve().parents[2]
PORT = str(int(os.environ.get("DR_INTEGRATION_PORT", "4578")))


@pytest.fixture(scope="session")
def emulator():
    stack.emulator(int(PORT), "start")
    stack.emulator(int(PORT), "reset")
    yield f"http://127.0.0.1:{PORT}"
    stack.emulator(int(PORT), "stop")


@pytest.fixture
def stack_vpcs(emulator):
    """The stack's VPCs in a region of the emulator, as a function."""

    def _vpcs(region: str) -> list:
        return stack.client(emulator, "ec2", region).describe_vpcs(Filters=stack.MANAGED)["Vpcs"]

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
