# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

ansible-test fetches get-pip-<version>.py from the internet the first time it builds
a virtual environment for a sanity test, which cannot be reached here.
tools/sanity.py copies this file into ansible-test's cache instead. It bootstraps pip
with the standard library's ensurepip, then runs ``pip install`` with the arguments
ansible-test gave (the package pins, e.g. ``pip==24.2``), dropping the two
get-pip-only flags that pip itself does not know.
"""

from __future__ import annotations

import os
import subprocess
import sys

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")


def main() -> int:
    # ensurepip sets PIP_CONFIG_FILE=/dev/null (and more) in os.environ and leaves it
    # there; restore the caller's environment so the pip run below sees its config.
    saved = dict(os.environ)
    import ensurepip  # pylint: disable=import-outside-toplevel

    ensurepip.bootstrap(upgrade=True)
    os.environ.clear()
    os.environ.update(saved)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    if not args:
        return 0
    return subprocess.call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    sys.exit(main())
