"""Gradescope's autograder package: what ``autograder gradescope`` zips, and what its
``run_autograder`` does in the container Gradescope starts for each submission.

The zip is the instructor's secret (it holds the hidden checks and the reference
solutions) and is uploaded to Gradescope only.  Unzipped in ``/autograder/source``:

    setup.sh            run once, as root, when Gradescope builds the image (Ubuntu):
                        a venv, the pinned CPU wheels, the grader's dependencies, the grader
    run_autograder      run for each submission, as root: ``autograder gradescope-run``
    constraints.txt     the tested torch/torchvision pair (the course's constraints.txt)
    requirements.txt    the grader's other dependencies
    gradescope.json     the assignments graded and the visibility of the hidden checks
    grader/             the packages ``autograder`` and ``autograder_solutions``, copied
                        into the venv as they are (nothing to build in the container)

Gradescope's container runs as root, without ``CAP_SYS_ADMIN`` and under Docker's seccomp
profile (no new namespaces, no mounts, no keyring).  The engine takes what is there (its
probe finds the layers) and the results say which layers were in force.  What stands in
for the empty root and Landlock where they are missing: before any student code runs,
:func:`lock_secrets` leaves the checks and the solutions readable by root alone, and every
runner runs under a user id of its own (the ``unprivileged`` layer, which needs no
namespace), so the files it cannot read stay out of reach.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.engine.containment import trusted_paths
from autograder.errors import SubmissionError
from autograder.grading.model import GradeReport
from autograder.platforms.gradescope_scripts import RUN_AUTOGRADER, SETUP_SH
from autograder.report.files import write_atomically
from autograder.report.gradescope import HIDDEN_VISIBILITY, VISIBILITIES, to_gradescope

if TYPE_CHECKING:
    from autograder.grading.config import GradingConfig

# Gradescope's own folder in its container.
GRADESCOPE_ROOT = Path("/autograder")
SETTINGS_FILE = "gradescope.json"
GRADER_FOLDER = "grader"
# The packages the grader is made of: the checks' and the reference solutions'.
GRADER_PACKAGES = ("autograder", "autograder_solutions")
DISTRIBUTION = "torch-autograder"
# The CPU wheels of torch: several GB less than pip's default (CUDA) build on Linux.
CPU_WHEELS = "https://download.pytorch.org/whl/cpu"
_NEVER_COPIED = ("__pycache__", "*.pyc", "KIT")


class PackageError(Exception):
    """The package cannot be built from this installation (a student kit, no solutions)."""


@dataclass(frozen=True)
class Layout:
    """Gradescope's folders under one root: ``/autograder`` there, another folder in tests."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    @property
    def results_file(self) -> Path:
        return self.root / "results" / "results.json"

    @property
    def settings_file(self) -> Path:
        return self.source / SETTINGS_FILE


@dataclass(frozen=True)
class PackageSettings:
    """What one package grades, written into it as ``gradescope.json``."""

    assignments: tuple[str, ...]
    hidden_visibility: str = HIDDEN_VISIBILITY
    lang: str = "en"

    def to_json(self) -> str:
        data = {
            "assignments": list(self.assignments),
            "hidden_visibility": self.hidden_visibility,
            "lang": self.lang,
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def load(cls, path: Path) -> PackageSettings:
        data = json.loads(path.read_text(encoding="utf-8"))
        visibility = str(data.get("hidden_visibility", HIDDEN_VISIBILITY))
        if visibility not in VISIBILITIES:
            raise PackageError(
                f"{path}: hidden_visibility {visibility!r} is not one of {VISIBILITIES}"
            )
        return cls(tuple(data["assignments"]), visibility, str(data.get("lang", "en")))


def _package_folder(name: str) -> Path:
    """Where the installed package ``name`` lives (a link, as a worktree's, resolved)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise PackageError(f"{name} is not installed: build the package from the course's grader")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def constraints_text() -> str:
    """The tested torch/torchvision pair: the course's constraints.txt next to the package
    (a checkout), else the versions installed here."""
    checkout = _package_folder("autograder").parent / "constraints.txt"
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    pins = [f"{name}=={metadata.version(name)}" for name in ("torch", "torchvision")]
    return "# The versions the package was built with.\n" + "\n".join(pins) + "\n"


def requirements_text() -> str:
    """The grader's dependencies other than torch (installed from the CPU wheels first)."""
    try:
        required = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        raise PackageError(f"{DISTRIBUTION} is not installed (pip install -e .)") from None
    kept = [
        line
        for line in required
        if "extra ==" not in line
        and not line.startswith(("torch<", "torch>", "torch=", "torchvision"))
    ]
    return "\n".join(kept) + "\n"


def _add_tree(archive: zipfile.ZipFile, folder: Path, name: str) -> None:
    skipped = shutil.ignore_patterns(*_NEVER_COPIED)
    for current, folders, files in os.walk(folder):
        here = Path(current)
        ignored = skipped(current, [*folders, *files])
        folders[:] = sorted(f for f in folders if f not in ignored)
        for file in sorted(f for f in files if f not in ignored):
            path = here / file
            archive.write(path, f"{name}/{path.relative_to(folder).as_posix()}")


def _add_text(archive: zipfile.ZipFile, name: str, text: str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text)


def build_package(output: Path, settings: PackageSettings) -> list[str]:
    """Write Gradescope's autograder zip to ``output``; the names it holds.

    Refused (:class:`PackageError`) from the student kit, which has no hidden checks and no
    reference solutions to grade with.
    """
    package = _package_folder("autograder")
    if (package / "KIT").exists():
        raise PackageError("this is the student kit: build the package from the course's grader")
    folders = {name: _package_folder(name) for name in GRADER_PACKAGES}
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_text(archive, "setup.sh", SETUP_SH, executable=True)
        _add_text(archive, "run_autograder", RUN_AUTOGRADER, executable=True)
        _add_text(archive, "constraints.txt", constraints_text())
        _add_text(archive, "requirements.txt", requirements_text())
        _add_text(archive, SETTINGS_FILE, settings.to_json())
        for name, folder in folders.items():
            _add_tree(archive, folder, f"{GRADER_FOLDER}/{name}")
        names = archive.namelist()
    os.replace(partial, output)
    return names


# -- in Gradescope's container ------------------------------------------------------------------
def lock_secrets(site: Path, source: Path | None = None) -> list[Path]:
    """Leave the checks, the oracles and the solutions readable by root alone; the files
    locked.

    ``site`` holds the installed packages.  What a runner imports (the engine, the probes:
    :func:`autograder.engine.containment.trusted_paths`) stays readable, and every folder
    of ``autograder`` stays listable, as under Landlock.  ``source``, the unzipped package
    (copies of all of it), is closed whole.  Idempotent: run before every grading.
    """
    trusted = [path.resolve() for path in trusted_paths(site)]
    locked: list[Path] = []

    def is_trusted(path: Path) -> bool:
        return any(path == t or t in path.parents for t in trusted)

    for name in GRADER_PACKAGES:
        top = site / name
        if not top.is_dir():
            continue
        for current, _folders, files in os.walk(top):
            for file in files:
                path = (Path(current) / file).resolve()
                if name != "autograder" or not is_trusted(path):
                    os.chmod(path, 0o600)
                    locked.append(path)
    solutions = site / "autograder_solutions"
    if solutions.is_dir():
        os.chmod(solutions, 0o700)
    if source is not None and source.is_dir():
        os.chmod(source, 0o700)
    return locked


def combined(reports: Iterable[GradeReport]) -> GradeReport:
    """One report of several gradings (one per assignment of the package)."""
    report = GradeReport()
    for part in reports:
        report.results += part.results
        report.notes += part.notes
        report.files.update(part.files)
        report.execution_time += part.execution_time
        report.sandbox = part.sandbox or report.sandbox
    return report


def results_json(
    report: GradeReport, settings: PackageSettings, sandbox: dict[str, list[str]]
) -> dict[str, Any]:
    """Gradescope's results.json: the report, hidden checks at the package's visibility,
    and the sandbox's layers in ``extra_data`` (for instructors, not shown to students)."""
    results = to_gradescope(report, settings.lang, settings.hidden_visibility)
    results.pop("sandbox", None)
    results["extra_data"] = {
        "sandbox": sandbox,
        "secrets": "readable by root alone (every runner has a user id of its own)",
        "assignments": list(settings.assignments),
        "files": report.files,
    }
    return results


def refused_results(message: str, settings: PackageSettings) -> dict[str, Any]:
    """What the student sees when the submission cannot be graded at all."""
    return {
        "score": 0.0,
        "output": message,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"assignments": list(settings.assignments)},
        "tests": [],
    }


def sandbox_statement(sandbox: dict[str, list[str]]) -> str:
    """One line for the instructor's log: the layers in force, those missing here."""
    layers = ", ".join(sandbox.get("layers", [])) or "none"
    missing = ", ".join(sandbox.get("missing", [])) or "none"
    return f"sandbox layers in force: {layers}; not available in this container: {missing}"


def grade_submission(layout: Layout, config: GradingConfig) -> dict[str, Any]:
    """Grade ``layout.submission`` into ``layout.results_file``, whatever happens; the results.

    The secrets are locked first (:func:`lock_secrets`, as root: Gradescope's case), before
    any student code runs.  A submission that cannot be graded (a link, a file of no
    assignment), or a grading that breaks down, still gets a results.json saying why, as
    Gradescope asks.
    """
    from autograder.engine.sandbox import sandbox_layers
    from autograder.grading.grade import grade_path

    settings = PackageSettings.load(layout.settings_file)
    if os.geteuid() == 0:  # runners then take user ids of their own, which the lock shuts out
        lock_secrets(_package_folder("autograder").parent, layout.source)
    try:
        report = combined(
            grade_path(layout.submission, name, config=config, parallel=True)
            for name in settings.assignments
        )
    except SubmissionError as error:
        results = refused_results(str(error), settings)
    except Exception as error:
        # Gradescope shows nothing without results.json: say so, and fail for the log.
        failed = refused_results(f"the autograder failed ({type(error).__name__})", settings)
        write_atomically(layout.results_file, json.dumps(failed, indent=2))
        raise
    else:
        found = sandbox_layers()
        sandbox = report.sandbox or {"layers": list(found.layers), "missing": list(found.missing)}
        results = results_json(report, settings, sandbox)
    write_atomically(layout.results_file, json.dumps(results, indent=2, ensure_ascii=False))
    return results
