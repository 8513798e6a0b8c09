"""``autograder check``: one line per check as it finishes, then the next thing to fix."""

from __future__ import annotations

from autograder.grading.model import CheckResult
from autograder.i18n import T, phrase, translate
from autograder.report.common import check_name, feedback


def progress_line(result: CheckResult, lang: str = "en") -> str:
    mark = "✓" if result.passed else "✗"
    return f"  {mark} {result.tag}: {check_name(result, lang)}"


def render_check_summary(results: list[CheckResult], lang: str = "en") -> str:
    """How many visible checks pass, and the first failing one with its feedback."""
    passed = sum(r.passed for r in results)
    lines = [
        "",
        translate(
            T(
                "{passed} of {total} visible checks pass.",
                passed=passed,
                total=len(results),
            ),
            lang,
        ),
    ]
    failing = [r for r in results if not r.passed]
    if not failing:
        lines.append(
            translate(
                T(
                    "Everything visible passes. The final grade may run more checks: keep "
                    "your functions general (any shape, dtype and device)."
                ),
                lang,
            )
        )
        return "\n".join(lines) + "\n"
    first = failing[0]
    functions = sorted({(r.assignment, r.function) for r in failing})
    lines += [
        translate(
            T(
                "Functions with failing checks: {functions}.",
                functions=", ".join(f"{a}.{f}" for a, f in functions),
            ),
            lang,
        ),
        "",
        translate(
            T(
                "Next thing to fix: {function}: {check}",
                function=first.tag,
                check=phrase(first.check),
            ),
            lang,
        ),
    ]
    lines += [f"    {line}" for line in feedback(first, lang).splitlines()]
    lines += [
        "",
        translate(
            T(
                "Fix it, then run the check again (add --function {function} to check only "
                "this function).",
                function=first.function,
            ),
            lang,
        ),
    ]
    return "\n".join(lines) + "\n"
