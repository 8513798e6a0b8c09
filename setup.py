"""Which packages the distribution holds; everything else is in pyproject.toml.

Every package under ``autograder/`` is found (an assignment's folder included, with no list
to keep), and the reference solutions of ``solutions/`` install as ``autograder_solutions``:
a name that cannot collide with another project's, and one the student kit never contains.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["autograder", "autograder.*"]), "autograder_solutions"],
    package_dir={"autograder_solutions": "solutions"},
)
