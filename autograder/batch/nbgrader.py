"""nbgrader's gradebook, filled by our grader: the grade of record of an nbgrader course.

nbgrader's own ``autograde`` runs the test cells in the student's kernel, where an answer
cell can redefine :func:`autograder.notebook.check`.  ``autograder grade-nbgrader`` grades
nbgrader's ``submitted/<student>/<assignment>/`` in our sandbox instead (with
:mod:`autograder.batch.pool`, like ``grade-batch``) and this module writes the points of
every test cell into nbgrader's gradebook through nbgrader's own API, so that
``nbgrader export`` and the formgrader show them.  It executes no notebook.

nbgrader (the ``release`` extra) is imported only inside the functions: the rest of the
grader works without it, and :func:`open_course` says which extra to install.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.batch.model import StudentResult
from autograder.errors import CourseError
from autograder.grading.registry import load_assignment

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

# The test cell of function ``f`` (autograder/release/source_notebook.py).
TEST_CELL_PREFIX = "test-"
NEEDS_NBGRADER = (
    "grade-nbgrader needs nbgrader, which is in the release extra: "
    "pip install 'torch-autograder[release]'"
)
# timestamp.txt is the student's folder's: read no more than a timestamp's worth of it.
TIMESTAMP_CHARS = 200


@dataclass(frozen=True)
class Course:
    """One nbgrader course: its folder layout and gradebook, as nbgrader's config says."""

    coursedir: Any  # nbgrader.coursedir.CourseDirectory

    @property
    def root(self) -> Path:
        return Path(self.coursedir.root)

    @property
    def db_url(self) -> str:
        return str(self.coursedir.db_url)

    def submitted(self, student: str, assignment: str) -> Path:
        """``submitted/<student>/<assignment>/``, as nbgrader's directory structure says."""
        step = self.coursedir.submitted_directory
        return Path(self.coursedir.format_path(step, student, assignment))

    @contextlib.contextmanager
    def gradebook(self) -> Iterator[Gradebook]:
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url, self.coursedir.course_id) as gradebook:
            yield gradebook


def open_course(root: Path) -> Course:
    """nbgrader's course directory ``root``, configured by its ``nbgrader_config.py`` if any.

    Only that file is read (not ``~/.jupyter``): it is where a course sets
    ``CourseDirectory.db_url`` or ``submitted_directory``.  The gradebook must exist
    already (``nbgrader generate_assignment`` creates it); opening a missing one would
    create an empty one.
    """
    try:
        from nbgrader.coursedir import CourseDirectory
        from sqlalchemy.engine import make_url
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader
    except ImportError:
        raise CourseError(NEEDS_NBGRADER) from None
    root = root.resolve()
    config = Config()
    if (root / "nbgrader_config.py").is_file():
        try:
            config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        except Exception as error:  # noqa: BLE001 - the instructor's file: say what broke
            raise CourseError(
                f"cannot read {root / 'nbgrader_config.py'}: {type(error).__name__}: {error}"
            ) from None
    config.CourseDirectory.root = str(root)
    course = Course(CourseDirectory(config=config))
    url = make_url(course.db_url)
    database = url.database
    local = url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:")
    if local and not Path(database).is_file():
        raise CourseError(
            f"no nbgrader gradebook at {database}: run `nbgrader generate_assignment` in "
            f"{root} first"
        )
    return course


def grade_cells(course: Course, assignment: str) -> dict[str, float]:
    """Grade id -> points of the autograded cells of notebook ``<assignment>.ipynb``.

    Raises :class:`CourseError` unless ``nbgrader generate_assignment`` put the assignment
    and its notebook into the gradebook: the submissions' grades hang on them.
    """
    from nbgrader.api import MissingEntry

    with course.gradebook() as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(
                f"assignment {assignment} is not in the gradebook {course.db_url}: run "
                f"`nbgrader generate_assignment {assignment}` in {course.root} first"
            ) from None
        try:
            notebook = gradebook.find_notebook(assignment, assignment)
        except MissingEntry:
            raise CourseError(
                f"assignment {assignment} has no notebook {assignment}.ipynb in the gradebook "
                f"{course.db_url}"
            ) from None
        return {cell.name: float(cell.max_score) for cell in notebook.grade_cells}


def submitted_students(course: Course, assignment: str) -> dict[str, Path]:
    """Student id -> ``submitted/<student>/<assignment>/``, for every student who has one.

    Names starting with ``.`` or ``_`` are skipped, as ``grade-batch`` skips them.
    """
    pattern = course.submitted("*", assignment)
    index = pattern.parts.index("*")
    anchor = Path(*pattern.parts[:index])
    rest = Path(*pattern.parts[index:])
    found: dict[str, Path] = {}
    for folder in sorted(anchor.glob(str(rest))):
        student = folder.parts[index]
        if folder.is_dir() and not student.startswith((".", "_")):
            found[student] = folder
    return found


def chosen_submissions(
    course: Course, assignment: str, students: Sequence[str] = ()
) -> dict[str, Path]:
    """Student id -> submission folder of ``assignment`` to grade: those of ``students``
    (everyone who submitted when none is named).  Raises :class:`CourseError` for a named
    student without a submission, and where there is nothing to grade."""
    folders = submitted_students(course, assignment)
    for student in students:
        if student not in folders:
            where = course.submitted(student, assignment)
            raise CourseError(f"no submission of {assignment} by {student}: no {where}")
    if students:
        folders = {student: folders[student] for student in students}
    if not folders:
        where = course.submitted("<student>", assignment)
        raise CourseError(f"no submission of {assignment} to grade: no {where}")
    return folders


def submission_time(folder: Path) -> datetime | None:
    """The time in ``timestamp.txt`` (written by ``nbgrader collect``), in UTC, if readable."""
    from nbgrader.utils import parse_utc

    try:
        with (folder / "timestamp.txt").open(encoding="utf-8") as handle:
            text = handle.read(TIMESTAMP_CHARS).strip()
        return parse_utc(text) if text else None
    except (OSError, ValueError, OverflowError, UnicodeDecodeError):
        return None


def function_points(result: StudentResult, assignment: str) -> dict[str, float]:
    """Function -> the points our grader gave it, in one student's result."""
    points = {exercise.name: 0.0 for exercise in load_assignment(assignment).exercises}
    for check in result.results:
        if check.assignment == assignment and check.function in points:
            points[check.function] += check.score
    return points


def cell_scores(
    cells: dict[str, float], assignment: str, points: dict[str, float]
) -> dict[str, float]:
    """Grade id -> ``auto_score`` for the test cells of our functions.

    A cell whose points in the gradebook differ from the function's (the instructor changed
    them after ``generate_assignment``) gets the same fraction of its own points.
    """
    maxima = {e.name: e.max_score for e in load_assignment(assignment).exercises}
    scores: dict[str, float] = {}
    for function, score in points.items():
        cell = f"{TEST_CELL_PREFIX}{function}"
        if cell not in cells:
            continue
        if cells[cell] != maxima[function] and maxima[function]:
            score = score * cells[cell] / maxima[function]
        scores[cell] = min(score, cells[cell])
    return scores


def mismatches(cells: dict[str, float], assignment: str) -> list[str]:
    """What the instructor should know: test cells we do not grade, functions with no cell,
    cells whose points differ from ours."""
    maxima = {e.name: e.max_score for e in load_assignment(assignment).exercises}
    ours = {f"{TEST_CELL_PREFIX}{name}": name for name in maxima}
    notes = [
        f"grade cell {cell} is not one of the autograder's test cells: left as it is"
        for cell in cells
        if cell not in ours
    ]
    for cell, function in ours.items():
        if cell not in cells:
            notes.append(f"{function}: no test cell {cell} in the gradebook: its points are lost")
        elif cells[cell] != maxima[function]:
            notes.append(
                f"{cell} is worth {cells[cell]:g} points in the gradebook and {function} "
                f"{maxima[function]:g} in the grader: scaled to the gradebook's points"
            )
    return notes


def write_grades(
    course: Course,
    assignment: str,
    results: Sequence[StudentResult],
    folders: dict[str, Path],
) -> dict[str, float]:
    """Write every student's test cell points into the gradebook; student -> total written.

    Creates the student and the submission where missing (with the time in
    ``timestamp.txt``, as nbgrader's autograde does), sets each test cell's ``auto_score``
    and leaves a grader's manual score in place (flagged for review, as nbgrader does).
    """
    cells = grade_cells(course, assignment)
    totals: dict[str, float] = {}
    with course.gradebook() as gradebook:
        for result in results:
            student = result.student
            gradebook.update_or_create_student(student)
            timestamp = submission_time(folders[student]) if student in folders else None
            extra = {"timestamp": timestamp} if timestamp is not None else {}
            gradebook.update_or_create_submission(assignment, student, **extra)
            scores = cell_scores(cells, assignment, function_points(result, assignment))
            for cell, score in scores.items():
                grade = gradebook.find_grade(cell, assignment, assignment, student)
                grade.auto_score = score
                grade.needs_manual_grade = grade.manual_score is not None
            gradebook.db.commit()
            totals[student] = sum(scores.values())
    return totals
