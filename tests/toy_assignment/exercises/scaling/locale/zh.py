"""简体中文: check names, hints and teaching text of ``scaling.py``."""

MESSAGES: dict[str, str] = {
    "agrees with x * factor": "结果与 x * factor 一致",
    "multiply every element by factor.": "把每个元素乘以 factor。",
}

INTRODUCTION = """\
热身：把张量乘以一个数。
"""

EXERCISES: dict[str, str] = {
    "scale": """\
返回 `x` 的每个元素乘以 `factor` 的新张量，形状、dtype 和设备都与 `x` 相同。不许使用 `torch.mul`。
""",
}
