"""``python -m autograder``: the ``autograder`` command, where scripts are not on PATH."""

from autograder.cli import entry_point

if __name__ == "__main__":
    entry_point()
