#!/usr/bin/env bash
# The command-line error test (tests/test_cli_errors.py) with the LOWEST typer that pyproject.toml
# allows, and the lowest click that typer accepts, in a separate virtualenv. The main install keeps
# the newest allowed versions; this one only swaps typer and click, everything else is seen from the
# main environment (a .pth file), so the run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${TMPDIR:-/tmp}/certify-lowest-typer"
rm -rf "$venv"
python -m venv --system-site-packages "$venv"
outer="$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
inner="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "import site; site.addsitedir('$outer')" > "$inner/zz-main-environment.pth"

# The lower bound of a requirement: `typer>=0.13,<1` → 0.13
lowest() {
    "$venv/bin/python" - "$@" <<'PY'
import re, sys, tomllib
from importlib.metadata import requires
name, source = sys.argv[1], sys.argv[2]
reqs = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"] if source == "pyproject" else requires(source) or []
for req in reqs:
    if re.match(rf"{name}\b", req, re.I):
        found = re.search(r">=\s*([\w.]+)", req)
        print(found.group(1) if found else "")
        break
PY
}

typer_low="$(lowest typer pyproject)"
"$venv/bin/pip" install -q --no-deps "typer==${typer_low}"
click_low="$(lowest click typer)"  # empty from typer 0.29 on: it carries its own click
pins=("typer==${typer_low}")
[ -n "$click_low" ] && pins+=("click==${click_low}")
"$venv/bin/pip" install -q "${pins[@]}"
"$venv/bin/python" -c 'import typer; print("lowest allowed: typer", typer.__version__, end=" ")
try:
    import click; print("click", click.__version__)
except ImportError:
    print()'
# One small file: in one process (-p no:xdist), not spread over workers as the full suite is (tests/parallel.py).
"$venv/bin/python" -m pytest -q -p no:cacheprovider -p no:xdist tests/test_cli_errors.py
