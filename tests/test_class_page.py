"""What the class did: item analysis, summary.html (also in a real browser), and merge.

The class is a toy one, after ``tests/toy_assignment`` (``scaling.scale``, and a ``shift``
beside it): each student's code is a small function, and each check's verdict comes from
running it.  One check is planted broken (its verdict inverted: it passes the wrong answers
and fails the right ones); one no solution can pass; one every solution passes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.batch.model import BatchResults, merge
from autograder.batch.outputs import render_class, write_outputs
from autograder.grading.model import CheckResult, StudentResult
from autograder.report.class_page import distribution_chart
from autograder.report.item_analysis import correlation
from autograder.report.summary import class_summary

pytestmark = pytest.mark.unit

COLUMNS = [("scaling", "scale"), ("scaling", "shift")]
SOLUTION = """
def scale(xs, factor):
    if not isinstance(xs, list) or not isinstance(factor, float):
        raise TypeError("scale takes a list and a float")
    result = [x * factor for x in xs]
    return result


def shift(xs, offset):
    if not isinstance(xs, list) or not isinstance(offset, float):
        raise TypeError("shift takes a list and a float")
    return [x + offset for x in xs]
"""
# Each student: the bugs of their solution (each one a textual change of the solution).
BUGS: dict[str, dict[str, str]] = {
    "ada": {},
    "ben": {
        "result = [x * factor for x in xs]": "result = []\n    for x in xs:\n"
        + " " * 8
        + "result.append(x * factor)"
    },
    "cy": {"return [x + offset": "return [x + offset + 0.0"},
    "dee": {"factor for x in xs]": "factor for x in xs[:-1]]"},
    "eve": {"[x * factor": "[x * abs(factor)"},
    "fay": {"[x * factor": "[x + factor", "[x + offset": "[x - offset"},
    "gus": {"[x * factor": "[x + factor", "offset for x in xs]": "offset for x in xs[1:]]"},
    "hal": {"[x * factor": "[int(x * factor)", "[x + offset": "[abs(x) + offset"},
    "ivy": {
        "[x * factor": "[factor",
        "[x + offset": "[offset",
        "factor for x in xs]": "factor for x in xs[1:]]",
    },
    "jo": {"[x + offset": "[x + abs(offset)"},
}
INPUTS = [[1.5, -2.0, 3.0], [0.5], [-1.0, 4.0, 2.5, -0.5]]

Check = tuple[str, str, float, Callable[[dict[str, Callable]], bool]]


def _agrees(function: str, arguments: list[float], expected: Callable) -> Callable:
    def run(code: dict[str, Callable]) -> bool:
        try:
            return all(code[function](xs, a) == expected(xs, a) for xs in INPUTS for a in arguments)
        except Exception:  # noqa: BLE001 - a wrong answer
            return False

    return run


CORRECT_ZERO = _agrees("scale", [0.0], lambda xs, f: [0.0 for _ in xs])
CHECKS: list[Check] = [
    (
        "scale",
        "agrees with x * factor",
        2,
        _agrees("scale", [2.0, 0.5], lambda xs, f: [x * f for x in xs]),
    ),
    (
        "scale",
        "handles negative factors",
        1,
        _agrees("scale", [-1.5], lambda xs, f: [x * f for x in xs]),
    ),
    ("scale", "an empty list gives an empty list", 1, lambda code: code["scale"]([], 2.0) == []),
    # Planted broken: its verdict is inverted (it passes exactly the wrong answers).
    ("scale", "handles a zero factor", 1, lambda code: not CORRECT_ZERO(code)),
    (
        "scale",
        "returns a tuple",
        1,
        lambda code: isinstance(code["scale"]([1.0], 2.0), tuple),
    ),  # the exercise never asked for it
    (
        "shift",
        "agrees with x + offset",
        2,
        _agrees("shift", [1.0, 3.0], lambda xs, o: [x + o for x in xs]),
    ),
    (
        "shift",
        "handles negative offsets",
        1,
        _agrees("shift", [-2.0], lambda xs, o: [x + o for x in xs]),
    ),
    (
        "shift",
        "returns floats",
        1,
        lambda code: all(isinstance(v, float) and v == v for v in code["shift"]([1.0], 2.0)),
    ),
]
BROKEN = "handles a zero factor"


def student_code(name: str) -> str:
    code = SOLUTION
    for old, new in BUGS[name].items():
        assert old in code, (name, old)
        code = code.replace(old, new)
    return code


def grade_toy(name: str) -> StudentResult:
    namespace: dict[str, Callable] = {}
    exec(student_code(name), namespace)  # noqa: S102 - our own toy code
    results = []
    for function, check, points, verdict in CHECKS:
        passed = bool(verdict(namespace))
        results.append(
            CheckResult(
                "scaling",
                function,
                check,
                points * passed,
                points,
                passed,
                "" if passed else "wrong",
            )
        )
    return StudentResult(name, name, results, 0.0)


def toy_class(copier: bool = True) -> BatchResults:
    """The toy class graded; ``copier``: with a student who handed in ada's code disguised."""
    names = sorted(BUGS)
    sources = {name: {"scaling": student_code(name)} for name in names}
    students = [grade_toy(name) for name in names]
    if copier:
        disguised = sources["ada"]["scaling"].replace("xs", "values").replace("x ", "v ")
        sources["zed"] = {"scaling": "# all mine\n" + disguised.replace("for v", "for  v")}
        students.append(StudentResult("zed", "zed", grade_toy("ada").results, 0.0))
    return BatchResults(["scaling"], students, None, COLUMNS, sources)


def test_correlation_is_pearson_and_none_when_constant():
    xs, ys = [1.0, 0.0, 1.0, 1.0, 0.0], [7.0, 2.0, 5.0, 9.0, 4.0]
    assert correlation(xs, ys) == pytest.approx(statistics.correlation(xs, ys))
    assert correlation([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) is None


def test_the_item_analysis_flags_the_planted_broken_check(tmp_path):
    batch = toy_class(copier=False)
    summary = write_outputs(tmp_path, batch)
    analysis = summary["item_analysis"]
    checks = {item["check"]: item for item in analysis["checks"]}
    assert checks[BROKEN]["flags"] == ["negative discrimination"]
    assert checks[BROKEN]["discrimination"] < -0.3
    assert checks["returns a tuple"]["flags"] == ["nobody passes"]
    assert checks["an empty list gives an empty list"]["flags"] == ["everyone passes"]
    for good in ("agrees with x * factor", "handles negative factors", "agrees with x + offset"):
        assert checks[good]["flags"] == [] and checks[good]["discrimination"] > 0.2, good
    # Difficulty: the share passing among those who submitted (all ten here).
    assert checks["agrees with x * factor"]["difficulty"] == pytest.approx(0.5)
    assert checks["agrees with x * factor"]["students"] == 10
    # Discrimination: point-biserial against the rest of the score (total minus the item).
    passing = [float(s.results[0].passed) for s in toy_class(copier=False).students]
    rest = [s.score - s.results[0].score for s in toy_class(copier=False).students]
    assert checks["agrees with x * factor"]["discrimination"] == pytest.approx(
        statistics.correlation(passing, rest), abs=1e-4
    )
    flagged = [(item["function"], item["check"]) for item in analysis["flagged"]]
    assert ("scale", BROKEN) in flagged and ("scale", "agrees with x * factor") not in flagged
    first = analysis["most_failed_exercises"][0]
    assert (first["function"], first["failed"]) == ("scale", 10)  # nobody can pass it whole
    assert first["most_common_failing_check"]["check"] == "returns a tuple"
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "### Item analysis" in markdown and "point-biserial" in markdown
    assert f"scaling.scale: {BROKEN} | " in markdown and "negative discrimination" in markdown
    stored = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert stored["item_analysis"] == analysis
    printed = render_class("text", batch)
    assert BROKEN in printed and "negative discrimination" in printed


def test_the_summary_takes_each_students_score_a_few_times_and_never_compares_students(
    monkeypatch,
):
    """class_summary and its item analysis grow with students x results, not x items: a
    student's score (a sum over their results) is taken a few times, not once per item, and
    no student is looked for in a list (which compares whole students, results and all)."""
    batch = toy_class(copier=False)
    items = len({(r.assignment, r.function, r.check) for s in batch.students for r in s.results})
    scores, comparisons = [], []
    score = StudentResult.score.fget
    monkeypatch.setattr(
        StudentResult, "score", property(lambda student: scores.append(1) or score(student))
    )
    equal = StudentResult.__eq__
    monkeypatch.setattr(
        StudentResult, "__eq__", lambda one, other: comparisons.append(1) or equal(one, other)
    )
    summary = class_summary(batch.students, batch.assignments, batch.columns())
    assert summary["item_analysis"]["checks"]  # (analysed)
    assert items > 5 and len(scores) <= 5 * len(batch.students)  # (4: the summary's own)
    assert comparisons == []


def test_means_are_printed_with_one_decimal(tmp_path):
    write_outputs(tmp_path, toy_class())
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    exercises = markdown[markdown.index("### Exercises\n") :]
    assert re.search(r"\| `scaling.scale` \| \d+\.\d/6 \|", exercises), exercises[:400]
    assert not re.search(r"\d\.\d{2,}/\d", markdown)


def _page(tmp_path: Path, lang: str = "en") -> tuple[Path, str]:
    write_outputs(tmp_path, toy_class(), lang=lang)
    return tmp_path / "summary.html", (tmp_path / "summary.html").read_text(encoding="utf-8")


def test_the_page_is_self_contained_and_links_every_student(tmp_path):
    path, page = _page(tmp_path)
    assert "http://" not in page.replace("http://www.w3.org/", "")  # SVG namespaces only
    assert "https://" not in page and "<script" not in page and "<link" not in page
    assert "<img" not in page or 'src="data:' in page
    assert page.count("<svg") >= 3  # distribution, assignments, checks
    for name in [*BUGS, "zed"]:
        href = f'href="feedback/{name}.md"'
        assert href in page and (tmp_path / "feedback" / f"{name}.md").is_file()
    assert "never a verdict" in page and "negative discrimination" in page
    assert "90–100%" in page and "Score distribution" in page
    # The planted copy is the most alike pair.
    similarity = page[page.index('id="similarity"') :]
    body = similarity.index("<tbody>")
    first_row = similarity[body : similarity.index("</tr>", body)]
    assert "ada" in first_row and "zed" in first_row


def test_the_page_in_chinese(tmp_path):
    _, page = _page(tmp_path, "zh")
    assert '<html lang="zh">' in page
    for text in ("分数分布", "项目分析", "区分度", "绝不是结论"):
        assert text in page, text


def test_distribution_png_has_a_title_axes_and_every_range(tmp_path):
    summary = write_outputs(tmp_path, toy_class())
    chart = distribution_chart(summary)
    assert chart.title == "Score distribution" and chart.x_label and chart.y_label
    assert chart.labels[-1] == "90–100%" and len(chart.labels) == 10
    png = (tmp_path / "distribution.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    write_outputs(tmp_path / "again", toy_class())
    assert (tmp_path / "again" / "distribution.png").read_bytes() == png  # deterministic


def test_merge_writes_the_same_page_and_analysis(tmp_path):
    whole = toy_class()
    write_outputs(tmp_path / "whole", whole)
    shards = []
    for index in (1, 2):
        names = sorted(s.student for s in whole.students)[index - 1 :: 2]
        part = BatchResults(
            whole.assignments,
            [s for s in whole.students if s.student in names],
            (index, 2),
            COLUMNS,
            {name: whole.sources[name] for name in names},
        )
        part.save(tmp_path / f"shard-{index}" / "results.json")
        shards.append(BatchResults.load(tmp_path / f"shard-{index}"))
    write_outputs(tmp_path / "merged", merge(shards))
    for name in ("summary.html", "summary.json", "summary.md", "distribution.png"):
        assert (tmp_path / "merged" / name).read_bytes() == (
            tmp_path / "whole" / name
        ).read_bytes(), name


def _chromium() -> str | None:
    # Debian's chromium; GitHub's Ubuntu images name their Chromium chromium-browser.
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed here (apt-get install chromium); CI requires it")
    return found


@pytest.mark.slow
def test_the_page_renders_in_headless_chromium(tmp_path):
    browser = _chromium()
    path, _ = _page(tmp_path / "class")
    profile = tmp_path / "profile"
    common = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ]
    screenshot = tmp_path / "page.png"
    shot = subprocess.run(
        [*common, f"--screenshot={screenshot}", "--window-size=1200,2400", path.as_uri()],
        capture_output=True,
        text=True,
        check=False,
    )
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000, shot.stderr[-2000:]
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    dom = subprocess.run(
        [*common, "--dump-dom", path.as_uri()], capture_output=True, text=True, check=False
    ).stdout
    distribution = dom[dom.index('<figure id="distribution">') :]
    assert "<svg" in distribution[:200] and "Score distribution" in distribution
    assert "90–100%" in distribution
    assert 'id="item-analysis"' in dom and "negative discrimination" in dom
    links = re.findall(r'<a href="(feedback/[^"]+)"', dom)
    assert len(links) == len(BUGS) + 1
    assert all((path.parent / link).is_file() for link in links)
    chinese, _ = _page(tmp_path / "zh", "zh")
    dom = subprocess.run(
        [*common, "--dump-dom", chinese.as_uri()], capture_output=True, text=True, check=False
    ).stdout
    assert "分数分布" in dom[dom.index('<figure id="distribution">') :]
    assert "负区分度" in dom and 'href="feedback/ada.md"' in dom


def test_a_hostile_student_name_is_only_text_on_the_page(tmp_path):
    name = '<img src=x onerror="alert(1)">'
    batch = toy_class()
    batch.students[0] = StudentResult(name, name, batch.students[0].results, 0.0)
    batch.sources[name] = batch.sources.pop("ada")
    write_outputs(tmp_path, batch)
    page = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
