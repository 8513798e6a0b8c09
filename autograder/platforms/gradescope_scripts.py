"""The two scripts Gradescope runs, as the package holds them (see :mod:`.gradescope`)."""

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu, this
# package unzipped in /autograder/source).  It makes a venv in /autograder/venv with the
# pinned CPU wheels of torch and torchvision (constraints.txt), the grader's dependencies
# (requirements.txt) and the grader itself, copied from grader/: the checks, hidden ones
# included, and the reference solutions.  run_autograder leaves those readable by root
# alone before it grades.
#
#   setup.sh [--root DIR] [--python PYTHON] [--dry-run] [--reuse-packages DIR]
#     --root DIR             Gradescope's folder (default /autograder)
#     --python PYTHON        the interpreter the venv is made from (default python3)
#     --dry-run              print the commands instead of running them
#     --reuse-packages DIR   install no wheels: the venv imports DIR's packages instead
#                            (for testing the package on a machine that has them)
set -euo pipefail
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root=/autograder
python=python3
dry_run=0
reuse=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --reuse-packages) reuse="$2"; shift 2 ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
venv="$root/venv"

run() {
  if [ "$dry_run" = 1 ]; then echo "$*"; else "$@"; fi
}

if [ -z "$reuse" ]; then
  # Gradescope's Ubuntu images have python3; the venv module is a package of its own.
  run apt-get install -y --no-install-recommends python3 python3-venv python3-pip
  run "$python" -m venv "$venv"
  run "$venv/bin/pip" install --no-cache-dir --upgrade pip
  run "$venv/bin/pip" install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu \
    -c "$source_dir/constraints.txt" torch torchvision
  run "$venv/bin/pip" install --no-cache-dir -c "$source_dir/constraints.txt" \
    -r "$source_dir/requirements.txt"
else
  run "$python" -m venv --without-pip "$venv"
fi

if [ "$dry_run" = 1 ]; then
  site="<site-packages of $venv>"
else
  site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
fi
if [ -n "$reuse" ]; then
  run sh -c "echo '$reuse' > '$site/reused-packages.pth'"
fi
# The grader: copied as it is, nothing to build.
run cp -R "$source_dir/grader/." "$site/"
run "$venv/bin/python" -m autograder --version
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for each submission, as root, in a container of its own: it grades
# /autograder/submission into /autograder/results/results.json.
#
#   run_autograder [ROOT]    ROOT: Gradescope's folder (default /autograder)
# -I: the grader is the venv's; the folder this is started from is not on the import path
# (with -m it would come first: an ``autograder`` folder there would be the grader run as
# root, and the lock would shut that one, not the venv's copy of the checks and solutions).
root="${1:-/autograder}"
exec "$root/venv/bin/python" -I -m autograder gradescope-run --root "$root"
"""
