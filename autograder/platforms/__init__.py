"""Where instructors already grade: the packages and runs of other grading platforms."""
