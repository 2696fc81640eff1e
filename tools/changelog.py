#!/usr/bin/env python
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""CHANGELOG.rst from changelogs/ with antsibull-changelog (``make changelog``).

Every change adds a fragment to changelogs/fragments/; nothing has been released yet,
so CHANGELOG.rst shows all fragments as the version in galaxy.yml. This script lints
the fragments, then releases that version in a scratch copy under
tests/output/changelog-root/ansible_collections/<namespace>/<name> (antsibull-changelog
asks ansible-doc about the plugins, which needs that layout; the checkout's fragments
stay where they are) and compares the CHANGELOG.rst it writes with the committed one.

    tools/changelog.py           # fail if a fragment is invalid or CHANGELOG.rst is stale
    tools/changelog.py --update  # rewrite CHANGELOG.rst (`make changelog-update`)
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("changelogs", "galaxy.yml", "meta", "plugins")
# The date is recorded in the scratch copy's changelog.yaml only, never in CHANGELOG.rst.
RELEASE_DATE = "1970-01-01"


def main() -> int:
    update = "--update" in sys.argv[1:]
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=os.pathsep.join([str(bindir), os.environ.get("PATH", "")]), ANSIBLE_NOCOLOR="1")
    tool = str(bindir / "antsibull-changelog")

    lint = subprocess.run([tool, "lint"], cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if lint.returncode != 0 or lint.stdout.strip() or lint.stderr.strip():
        print(lint.stdout + lint.stderr, file=sys.stderr)
        print("changelog: antsibull-changelog lint found problems in changelogs/", file=sys.stderr)
        return 1

    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    scratch = ROOT / "tests" / "output" / "changelog-root"
    copy = scratch / "ansible_collections" / galaxy["namespace"] / galaxy["name"]
    shutil.rmtree(scratch, ignore_errors=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".plugin-cache.yaml"))
        else:
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    release = subprocess.run([tool, "release", "--version", str(galaxy["version"]), "--date", RELEASE_DATE],
                             cwd=copy, env=env, check=False, capture_output=True, text=True)
    if release.returncode != 0:
        print(release.stdout + release.stderr, file=sys.stderr)
        print("changelog: antsibull-changelog release failed", file=sys.stderr)
        return 1

    built = (copy / "CHANGELOG.rst").read_text()
    target = ROOT / "CHANGELOG.rst"
    current = target.read_text() if target.exists() else ""
    if built == current:
        print("changelog: fragments valid, CHANGELOG.rst up to date")
        return 0
    if update:
        target.write_text(built)
        print("changelog: CHANGELOG.rst rewritten")
        return 0
    sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), built.splitlines(True),
                                               "CHANGELOG.rst (committed)", "CHANGELOG.rst (from changelogs/)"))
    print("changelog: CHANGELOG.rst does not match changelogs/; run `make changelog-update`", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
