"""Every message a student can see has a Simplified Chinese translation.

The texts come from tests/i18n_audit.py: every check name and hint of every registered
assignment (so an assignment added later must add its translations to its
autograder/exercises/<assignment>/locale/zh.py) and every message template of the source.
Run `python -m tests.i18n_audit` for the missing entries, ready to paste.
"""

from __future__ import annotations

import pickle
import textwrap

import pytest

from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.i18n import LANGUAGES, TRANSLATED, T, catalogue, join, phrase, translate
from tests import i18n_audit as audit
from tests.i18n_audit import Scanner

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_check_name_hint_and_message_is_translated(lang):
    missing = audit.missing(lang)
    listing = "\n".join(f"  [{t.home}] {t.where}: {t.text!r}" for t in missing)
    assert not missing, (
        f"{len(missing)} texts have no {lang} translation; add them to "
        f"the locale/{lang}.py of <home> (python -m tests.i18n_audit):\n{listing}"
    )


def test_every_assignment_is_covered_by_the_audit():
    texts = {t.text for t in audit.assignment_texts()}
    for name in ASSIGNMENT_NAMES:
        for exercise in load_assignment(name).exercises:
            for check in exercise.checks:
                assert check.name in texts and (not check.hint or check.hint in texts)


def test_no_message_is_built_in_a_way_that_cannot_be_translated():
    _, problems = audit.scan_sources()
    assert not problems, "\n".join(f"{p.where}: {p.message}" for p in problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang):
    assert not audit.placeholder_mismatches(lang)
    assert all(translated.strip() for translated in catalogue(lang).values())


def test_the_audit_finds_untranslatable_and_new_texts():
    source = textwrap.dedent(
        """
        HINT = "a module constant hint"
        def check(ctx, x, what="a default phrase"):
            ctx.fail(f"the value {x} is wrong")
            ctx.fail("a fixed message", hint=HINT, expected="a described value")
            ctx.expect_raises(ValueError, x, why="when x is odd")
            ctx.fail(T("{n} apples", n=f"{x} pears"))
            ctx.fail("too " + "late")
        """
    )
    scanner = Scanner(source, "example.py", "example")
    scanner.run()
    assert {t.text for t in scanner.texts} == {
        "a module constant hint",
        "a default phrase",
        "a fixed message",
        "a described value",
        "when x is odd",
        "{n} apples",
    }
    # The f-string message, the f-string value of T, the concatenation.
    assert len(scanner.problems) == 3, scanner.problems


def test_t_is_the_english_string_and_survives_pickling():
    message = T("{function} did not return a value: {reason}", function="gather", reason="x")
    assert message == "gather did not return a value: x" and isinstance(message, str)
    copy = pickle.loads(pickle.dumps(message))
    assert copy.template == message.template and copy.params == message.params
    assert translate(copy, "zh") == "gather 没有返回值：x"


def test_only_our_words_are_translated():
    # A value that happens to equal a catalogue key stays as it is (it is data).
    assert translate(T("it returned {value}", value="the result"), "zh") == "它返回了 the result"
    # A nested T (or phrase) is translated.
    nested = T("{what} is wrong", what=phrase("the result"))
    assert translate(nested, "zh") == "结果不对"
    # Plain fixed text is looked up whole; unknown text falls back to English.
    assert translate("does not modify its input", "zh") == "不修改它的输入"
    assert translate("something new", "zh") == "something new"
    assert translate(T("a {x} template nobody translated", x=1), "zh") == (
        "a 1 template nobody translated"
    )
    assert translate(join([T("{name} (line {line})", name="torch.gather", line=3)] * 2), "zh") == (
        "torch.gather（第 3 行）, torch.gather（第 3 行）"
    )
    assert set(LANGUAGES) == {"en", *TRANSLATED}
