"""A user's own play, outside the collection, runs a role with only the README's inventory.

The play lists ``healthcare.dr.network`` and the module defaults, nothing else: no
``vars_files`` from inside the collection, no ansible.cfg of the project. What the role
needs from the pair (primary or not, the peer, the tags, the module defaults) comes from
its dependency ``healthcare.dr.common``. The inventory is the README's, with what
``inventories/local/group_vars/all.yml`` adds to point at the emulator.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

import stack

ROOT = Path(__file__).resolve().parents[2]

HOSTS = {
    "all": {
        "vars": {"dr_environment_suffix": "dev", "dr_primary_region": "us-east-1"},
        "children": {
            "regions": {
                "hosts": {
                    "us-east-1": {"dr_region": "us-east-1", "dr_vpc_cidr": "10.0.0.0/16"},
                    "us-west-2": {"dr_region": "us-west-2", "dr_vpc_cidr": "10.1.0.0/16"},
                }
            }
        },
    }
}

PLAY = [
    {
        "name": "Build each region's network",
        "hosts": "regions",
        "gather_facts": False,
        "module_defaults": {"group/healthcare.dr.aws": "{{ dr_aws_module_defaults }}"},
        # The smallest network the role makes, to keep the test short; the role's own inputs only.
        "roles": [{"role": "healthcare.dr.network", "network_availability_zone_count": 2, "network_nat_gateways": "one"}],
    }
]


def test_a_users_own_play_runs_the_network_role_with_only_the_inventory(emulator, tmp_path):
    stack.emulator(int(emulator.rsplit(":", 1)[1]), "reset")
    inventory = tmp_path / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    (inventory / "hosts.yml").write_text(yaml.safe_dump(HOSTS))
    (inventory / "group_vars" / "all.yml").write_text(
        yaml.safe_dump({
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "dr_aws_endpoint_url": emulator,
            "dr_aws_access_key": "testing",
            "dr_aws_secret_key": "testing",
        })
    )  # fmt: skip
    (tmp_path / "play.yml").write_text(yaml.safe_dump(PLAY, sort_keys=False))
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    bin_dir = Path(sys.executable).parent
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")},
        "ANSIBLE_CONFIG": str(tmp_path / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    try:
        run = subprocess.run(
            [str(bin_dir / "ansible-playbook"), "-i", "inventory", "play.yml"],
            cwd=tmp_path, env=env, check=False, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
        # The plain strategy (the suite's run of it from empty): ansible-core names any strategy plugin of a collection.
        assert "strategy plugins not included in ansible.builtin" not in run.stdout + run.stderr
        for region, cidr in (("us-east-1", "10.0.0.0/16"), ("us-west-2", "10.1.0.0/16")):
            vpcs = stack.client(emulator, "ec2", region).describe_vpcs(Filters=stack.MANAGED)["Vpcs"]
            assert [v["CidrBlock"] for v in vpcs] == [cidr], region
            tags = {t["Key"]: t["Value"] for t in vpcs[0]["Tags"]}
            assert tags["Project"] == "healthcare-dr" and tags["Region"] == region and tags["Environment"] == "dev"
    finally:
        stack.emulator(int(emulator.rsplit(":", 1)[1]), "reset")
