"""nbgrader's configuration for this repository, which is an nbgrader course directory.

``autograder release`` writes ``source/<assignment>/`` (instructor notebooks) and
``release/<assignment>/`` (student notebooks); put submissions in
``submitted/<student>/<assignment>/`` and run ``nbgrader autograde <assignment>``.
"""

c = get_config()  # noqa: F821 - nbgrader provides it

# Each test cell grades one function in the autograder's sandbox: give it time.
c.Execute.timeout = 600
