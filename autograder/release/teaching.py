"""The Markdown teaching cells: English from the docstrings, Chinese from the table."""

from __future__ import annotations

from autograder.release.chinese import TEXT
from autograder.release.markdown import docstring_to_markdown

HOW_TO = """\
**How to work.** Run the setup cell first. Every exercise is a function: replace
`raise NotImplementedError()` under `# YOUR CODE HERE` by your code, then run the test cell
below it. It runs the autograder's checks on your function, says what is wrong and shows
the points they give. The test cells are for feedback: your final grade is computed
separately, by the course's grader. To grade the whole notebook from a terminal:
`autograder grade {name}.ipynb`. The test cells answer in English; for feedback in
Chinese, run `FEEDBACK_LANGUAGE = "zh"` in a code cell of your own above them.

**怎么做。** 先运行导入（setup）单元格。每个练习是一个函数：把 `# YOUR CODE HERE` 下面的
`raise NotImplementedError()` 换成你的代码，然后运行它下面的测试单元格：它用自动评分器的检查测试你的
函数，告诉你错在哪里，并显示得到的分数。测试单元格只用于反馈：最终成绩由课程的评分器另行计算。
在终端里给整个 notebook 评分：`autograder grade {name}.ipynb`。测试单元格默认用英文反馈；
想看中文反馈，先在它们上面自己加一个代码单元格，运行 `FEEDBACK_LANGUAGE = "zh"`。
"""


def chinese(key: str) -> str | None:
    """The Chinese text for ``"<assignment>"`` or ``"<assignment>.<function>"``, if any."""
    text = TEXT.get(key)
    return text.strip() + "\n" if text else None


def _with_chinese(english: str, key: str) -> str:
    text = chinese(key)
    return english if text is None else f"{english}\n### 中文说明\n\n{text}"


def intro_markdown(name: str, docstring: str) -> str:
    """The notebook's first cell: the module docstring as title and text, and how to work."""
    title, _, rest = docstring.strip().partition("\n")
    english = f"# {title.rstrip('.')}\n\n{docstring_to_markdown(rest) if rest.strip() else ''}"
    return _with_chinese(english.rstrip() + "\n", name) + "\n" + HOW_TO.format(name=name)


def exercise_markdown(name: str, function: str, number: int, points: float, docstring: str) -> str:
    """The teaching cell above one exercise."""
    english = (
        f"## Exercise {number}: `{function}` ({points:g} points)\n\n"
        f"{docstring_to_markdown(docstring) if docstring.strip() else ''}"
    )
    return _with_chinese(english.rstrip() + "\n", f"{name}.{function}")
