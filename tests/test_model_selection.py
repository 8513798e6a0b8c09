"""model_selection: the reference against scikit-learn, and the feedback on the seed's bug."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.model_selection import KFold

from autograder.exercises.model_selection.checks import kfold_indices, make_data, runs
from autograder_solutions.model_selection import get_k_fold_data
from tests.gradelib import MUTANTS, SOLUTIONS, grade_source, splice


def test_reference_matches_sklearn_kfold():
    for n in range(2, 21):
        X, y = make_data(n, (2,))
        for k in range(2, n + 1):
            for i, (train, valid) in enumerate(KFold(n_splits=k).split(np.zeros((n, 1)))):
                X_train, y_train, X_valid, y_valid = get_k_fold_data(k, i, X, y)
                assert y_valid.tolist() == valid.tolist(), (n, k, i)
                assert y_train.tolist() == train.tolist(), (n, k, i)
                assert torch.equal(X_valid, X[valid]) and torch.equal(X_train, X[train])


def test_grader_folds_are_sklearn_kfold_folds():
    """The judge's ground truth, written out to spare a scikit-learn import per grading."""
    for n in range(1, 60):
        for k in range(2, n + 1):
            folds = KFold(n_splits=k).split(np.zeros((n, 1)))
            assert kfold_indices(n, k) == tuple(tuple(v.tolist()) for _, v in folds), (n, k)


def test_runs_are_readable():
    assert runs([0, 1, 2, 5, 7, 8]) == "0-2, 5, 7-8"
    assert runs([3]) == "3"
    assert runs([]) == "none"


def test_seed_version_is_told_which_samples_were_never_used(tmp_path):
    mutant = MUTANTS / "model_selection" / "get_k_fold_data" / "seed_drops_remainder.py"
    source = splice((SOLUTIONS / "model_selection.py").read_text(), mutant.read_text())
    results = grade_source(tmp_path, "model_selection", source, only=["get_k_fold_data"])
    partition = next(r for r in results if r.check.startswith("every sample is used"))
    assert not partition.passed
    assert "8-9" in partition.feedback and "never" in partition.feedback
    assert "n % k = 2" in partition.feedback
