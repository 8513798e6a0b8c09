"""nbgrader's configuration for this repository, which is an nbgrader course directory.

``autograder release`` writes ``source/<assignment>/`` (instructor notebooks) and
``release/<assignment>/`` (student notebooks); nbgrader collects the students' work into
``submitted/<student>/<assignment>/``.  Grade it with our grader, not nbgrader's autograde:

    autograder grade-nbgrader <assignment>      # in this folder (--course-dir elsewhere)
    nbgrader generate_feedback <assignment>     # feedback/<student>/<assignment>/*.html

``grade-nbgrader`` grades every submission in the sandbox, writes each test cell's points
into this course's gradebook (``nbgrader export`` and the formgrader read them) and the
``autograded/`` notebooks, with our feedback as the test cells' outputs, which
``generate_feedback`` and the formgrader's submission view show.  ``nbgrader autograde``
would run the test cells in the student's own kernel, where an answer cell can replace
the checks: its grades are not the course's.
"""

c = get_config()  # noqa: F821 - nbgrader provides it

# Only if `nbgrader autograde` is run all the same (to see the notebooks' own outputs):
# each test cell grades one function in the autograder's sandbox, so give it time.
c.Execute.timeout = 600
