#!/usr/bin/env python
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Check execution-environment.yml and write its build context (``make ee``).

Runs ``ansible-builder create`` (schema and file checks; building the image needs a
container engine, which the test machines lack) into tests/output/ee-context, after
building the collection tarball it installs, and checks that the definition:

- installs this collection from the tarball of the version in galaxy.yml;
- installs every other collection the roles, playbooks and plugins call (found in the
  tree by their FQCNs, so new dependencies are caught), except ansible.builtin;
- installs the Python packages the modules import (boto3, botocore);

and that ansible-navigator.yml passes ansible-navigator's own settings schema and runs
the image the build command of docs/awx.md tags (``<namespace>-<name>-ee:<version>``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = ROOT / "tests" / "output" / "ee-context"
SCANNED = ("plugins", "roles", "playbooks")
PYTHON_PACKAGES = ("boto3", "botocore")


def used_collections(own: str) -> set[str]:
    import ansible_collections  # pylint: disable=import-outside-toplevel

    installed = {f"{m.parent.parent.name}.{m.parent.name}"
                 for base in ansible_collections.__path__ for m in Path(base).glob("*/*/MANIFEST.json")}
    text = "\n".join(p.read_text(errors="replace") for d in SCANNED for p in (ROOT / d).rglob("*")
                     if p.is_file() and p.suffix in (".py", ".yml", ".yaml", ".j2"))
    return {fqcn for fqcn in installed if fqcn != own and re.search(rf"\b{re.escape(fqcn)}\.\w", text)}


def navigator_problems(galaxy: dict) -> list[str]:
    import ansible_navigator  # pylint: disable=import-outside-toplevel
    import jsonschema  # pylint: disable=import-outside-toplevel

    schema = json.loads((Path(ansible_navigator.__file__).parent / "data" / "ansible-navigator.json").read_text())
    settings = yaml.safe_load((ROOT / "ansible-navigator.yml").read_text())
    problems = [f"ansible-navigator.yml: {'.'.join(map(str, e.absolute_path)) or 'top'}: {e.message}"
                for e in jsonschema.Draft7Validator(schema).iter_errors(settings)]
    image = settings.get("ansible-navigator", {}).get("execution-environment", {}).get("image")
    wanted = f"{galaxy['namespace']}-{galaxy['name']}-ee:{galaxy['version']}"
    if image != wanted:
        problems.append(f"ansible-navigator.yml runs image {image}, not {wanted} (what the build command tags)")
    return problems


def main() -> int:
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    own = f"{galaxy['namespace']}.{galaxy['name']}"
    tarball_name = f"{galaxy['namespace']}-{galaxy['name']}-{galaxy['version']}.tar.gz"
    definition = yaml.safe_load((ROOT / "execution-environment.yml").read_text())
    problems = []

    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=os.pathsep.join([str(bindir), os.environ.get("PATH", "")]), ANSIBLE_NOCOLOR="1")
    tarball = ROOT / "tests" / "output" / "galaxy" / tarball_name
    subprocess.run([str(bindir / "ansible-galaxy"), "collection", "build", "--force", "--output-path",
                    str(tarball.parent), str(ROOT)], check=True, env=env, stdout=subprocess.DEVNULL)
    shutil.rmtree(CONTEXT, ignore_errors=True)
    create = subprocess.run([str(bindir / "ansible-builder"), "create", "-f", "execution-environment.yml",
                             "-c", str(CONTEXT), "--output-filename", "Containerfile"],
                            cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    print(create.stdout + create.stderr, end="")
    if create.returncode != 0 or not (CONTEXT / "Containerfile").exists():
        problems.append("ansible-builder create failed")
    else:
        requirements = yaml.safe_load((CONTEXT / "_build" / "requirements.yml").read_text()) or {}
        names = [c["name"] if isinstance(c, dict) else c for c in requirements.get("collections", [])]
        if not any(Path(n).name == tarball_name and (CONTEXT / "_build" / n).exists() for n in names):
            problems.append(f"the build context does not install this collection from {tarball_name} "
                            f"(galaxy.yml version {galaxy['version']})")
        for fqcn in sorted(used_collections(own) - {"ansible.builtin"} - set(names)):
            problems.append(f"{fqcn} is used by the collection but not installed by the execution environment")
        pip = (CONTEXT / "_build" / "requirements.txt").read_text()
        for package in PYTHON_PACKAGES:
            if not re.search(rf"^{package}\b", pip, re.M):
                problems.append(f"Python package {package} is not installed by the execution environment")
    problems += navigator_problems(galaxy)
    if definition.get("version") != 3:
        problems.append("execution-environment.yml is not ansible-builder schema version 3")
    for problem in problems:
        print(f"ee: {problem}", file=sys.stderr)
    if not problems:
        print(f"ee: build context in {CONTEXT.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
