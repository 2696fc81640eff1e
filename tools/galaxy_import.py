#!/usr/bin/env python
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Build the collection tarball and run galaxy-importer on it (``make galaxy-import``).

galaxy-importer is what Ansible Galaxy and Automation Hub run on an uploaded
collection. Its settings come from tests/galaxy-importer.cfg (GALAXY_IMPORTER_CONFIG):
no container, no network. The gate fails when the importer fails, logs an error, or
logs a warning other than the ones explained in docs/testing.md ("Quality gates").
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "output" / "galaxy"
CONFIG = ROOT / "tests" / "galaxy-importer.cfg"

# Warnings the importer always gives this collection, each explained in docs/testing.md.
EXPLAINED_WARNINGS = [
    # tests/sanity/ignore-2.19.txt: validate-modules wants a GPLv3 header on every
    # module; this collection is Apache-2.0 (each entry says so).
    re.compile(r"^WARNING: Ignore files skip ansible-test sanity tests, found ignore-[\d.]+\.txt with \d+ statement\(s\)$"),
]


def main() -> int:
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    OUTPUT.mkdir(parents=True, exist_ok=True)
    tarball = OUTPUT / f"{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}.tar.gz"
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=os.pathsep.join([str(bindir), os.environ.get("PATH", "")]),
               GALAXY_IMPORTER_CONFIG=str(CONFIG), ANSIBLE_NOCOLOR="1")
    subprocess.run([str(bindir / "ansible-galaxy"), "collection", "build", "--force",
                    "--output-path", str(OUTPUT), str(ROOT)], check=True, env=env)
    result = subprocess.run([sys.executable, "-m", "galaxy_importer.main", str(tarball)],
                            cwd=OUTPUT, env=env, check=False, capture_output=True, text=True)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)

    findings = []
    for line in result.stdout.splitlines():
        if line.startswith("ERROR") or (line.startswith("WARNING")
                                        and not any(p.match(line) for p in EXPLAINED_WARNINGS)):
            findings.append(line)
    if result.returncode != 0 or "Importer processing completed successfully" not in result.stdout:
        findings.append(f"galaxy-importer failed (exit {result.returncode})")
    if findings:
        print(f"\ngalaxy-import: {len(findings)} finding(s):", file=sys.stderr)
        for line in findings:
            print("  " + line, file=sys.stderr)
        return 1
    print(f"galaxy-import: {tarball.name} imports cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
