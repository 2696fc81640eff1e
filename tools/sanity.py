#!/usr/bin/env python
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Run ``ansible-test sanity`` on the collection, offline (``make sanity``).

ansible-test resolves the real path of its working directory and wants it under
``ansible_collections/<namespace>/<name>``, so the checkout's symlink does not do.
This script:

1. copies the collection's files (tracked, plus new files git does not ignore) into
   ``tests/output/sanity-root/ansible_collections/<namespace>/<name>``, deleting
   from the copy whatever the checkout no longer has;
2. places tools/get_pip_offline.py in ansible-test's cache under the name of the pip
   bootstrap script it would download (the version is read from ansible-test itself),
   replacing whatever is there, so no hand-placed file decides the result;
3. checks that every entry of tests/sanity/ignore-*.txt carries a ``# reason``;
4. runs ``ansible-test sanity --local`` in the copy with the running interpreter's
   version; extra arguments are passed on (``make sanity SANITY_ARGS='--test pep8'``).

Its exit code is ansible-test's (non-zero on any finding).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STAND_IN = ROOT / "tools" / "get_pip_offline.py"


def collection_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode()
    files = sorted({name for name in out.split("\0") if name})
    # --cached still lists files deleted from the working tree but not yet from git.
    return [name for name in files if os.path.lexists(ROOT / name)]


def sync(dest: Path, files: list[str]) -> None:
    wanted = set(files)
    if dest.exists():
        for dirpath, dirnames, filenames in os.walk(dest, topdown=True):
            rel_dir = Path(dirpath).relative_to(dest)
            if rel_dir == Path("."):
                dirnames[:] = [d for d in dirnames if d != ".git"]
            if rel_dir == Path("tests"):
                dirnames[:] = [d for d in dirnames if d != "output"]  # ansible-test's own results
            for filename in filenames:
                rel = (rel_dir / filename).as_posix()
                if rel not in wanted:
                    (Path(dirpath) / filename).unlink()
    for rel in files:
        src, dst = ROOT / rel, dest / rel
        if src.is_symlink():
            if dst.is_symlink() and os.readlink(dst) == os.readlink(src):
                continue
            if dst.exists() or dst.is_symlink():
                dst.unlink()
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(src), dst)
            continue
        st = src.stat()
        if dst.exists() and not dst.is_symlink():
            dt = dst.stat()
            if dt.st_size == st.st_size and int(dt.st_mtime) == int(st.st_mtime) and dt.st_mode == st.st_mode:
                continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.is_symlink():
            dst.unlink()
        shutil.copy2(src, dst)
    # Folders emptied by deletions would be reported by ansible-test as empty packages.
    for dirpath, dirnames, filenames in os.walk(dest, topdown=False):
        if "/.git" in dirpath[len(str(dest)):]:
            continue
        if not dirnames and not filenames and Path(dirpath) != dest:
            try:
                os.rmdir(dirpath)
            except OSError:
                pass


def place_pip_stand_in() -> Path:
    import ansible_test  # pylint: disable=import-outside-toplevel

    source = Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
    match = re.search(r"\bpip='(\d+(?:\.\d+)*)'", source.read_text())
    if not match:
        sys.exit(f"sanity: cannot find the pip bootstrap version in {source}")
    cache = Path.home() / ".ansible" / "test" / "cache" / f"get_pip_{match.group(1).replace('.', '_')}.py"
    cache.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STAND_IN, cache)
    return cache


def link_dependencies(root: Path, own: tuple[str, str]) -> list[str]:
    """Link the installed collections the plugins refer to beside the copy.

    ansible-test only loads collections from the copy's own ansible_collections tree;
    the modules' doc fragments and module_utils come from amazon.aws (shipped in the
    ``ansible`` package). Every installed collection named in plugins/ is linked.
    """
    import ansible_collections  # pylint: disable=import-outside-toplevel

    text = "\n".join(path.read_text(errors="replace") for path in (ROOT / "plugins").rglob("*.py"))
    linked = []
    for base in [Path(p) for p in ansible_collections.__path__]:
        for manifest in sorted(base.glob("*/*/MANIFEST.json")):
            namespace, name = manifest.parent.parent.name, manifest.parent.name
            link = root / namespace / name
            if (namespace, name) == own or not re.search(rf"\b{namespace}[./]{name}\b", text):
                continue
            if link.is_symlink():
                if Path(os.readlink(link)) == manifest.parent:
                    continue
                link.unlink()
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(manifest.parent, link)
            linked.append(f"{namespace}.{name}")
    return linked


def check_ignore_files() -> list[str]:
    problems = []
    for ignore in sorted((ROOT / "tests" / "sanity").glob("ignore-*.txt")):
        for number, line in enumerate(ignore.read_text().splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            entry, _sep, reason = line.partition("#")
            if not entry.strip() or not reason.strip():
                problems.append(f"{ignore.relative_to(ROOT)}:{number}: ignore entry without a '# reason': {line}")
    return problems


def main() -> int:
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    dest = ROOT / "tests" / "output" / "sanity-root" / "ansible_collections" / galaxy["namespace"] / galaxy["name"]
    sync(dest, collection_files())
    # ansible-test lists files through the nearest git repository above its working
    # folder; without one of its own the copy would be judged as ignored files of the
    # checkout. An empty repository lists the copy's files (--others, .gitignore applied).
    if not (dest / ".git").exists():
        subprocess.run(["git", "init", "--quiet", str(dest)], check=True)
    link_dependencies(dest.parent.parent, (galaxy["namespace"], galaxy["name"]))
    cache = place_pip_stand_in()
    print(f"sanity: collection copied to {dest.relative_to(ROOT)}; pip bootstrap stand-in at {cache}")

    problems = check_ignore_files()
    for problem in problems:
        print(problem, file=sys.stderr)

    # ansible-test drops PYENV_VERSION, so pyenv shims fail under it: put this
    # interpreter's own folder (the venv's, then the real one) first on PATH.
    bindirs = [str(Path(sys.executable).parent), str(Path(sys.base_prefix) / "bin")]
    env = dict(os.environ, PATH=os.pathsep.join(bindirs + [os.environ.get("PATH", "")]))
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    ansible_test = Path(sys.executable).parent / "ansible-test"
    command = [str(ansible_test), "sanity", "--local", "--python", version, "--color", "no"] + sys.argv[1:]
    print("sanity: " + " ".join(command), flush=True)
    returncode = subprocess.call(command, cwd=dest, env=env)
    return returncode or (1 if problems else 0)


if __name__ == "__main__":
    sys.exit(main())
