"""Feedback that matches what failed: a hint chosen by the failing case's kind, and a class
check's failing input with the constructor's arguments and the call's input shapes."""

from __future__ import annotations

from tests.gradelib import MUTANTS, grade_replacement


def failed_feedback(tmp_path, assignment: str, function: str, mutant: str) -> dict[str, str]:
    replacement = (MUTANTS / assignment / function / f"{mutant}.py").read_text()
    results = grade_replacement(tmp_path, assignment, replacement, function)
    return {r.check: r.feedback for r in results if not r.passed}


def test_a_dim_out_of_range_gets_the_dim_hint_not_the_negative_index_one(tmp_path):
    (feedback,) = failed_feedback(tmp_path, "tensors", "gather", "no_dim_check").values()
    assert "when dim is out of range" in feedback
    assert "Hint: dim must lie in [-input.dim(), input.dim())" in feedback, feedback
    assert "negative index" not in feedback


def test_a_negative_index_gets_the_negative_index_hint(tmp_path):
    feedback = failed_feedback(tmp_path, "tensors", "gather", "negative_wraps")
    text = feedback[
        "raises IndexError for an index outside [0, input.size(dim)) or a dim out of range"
    ]
    assert "Hint: a negative index does not count from the end here" in text, text


def test_a_class_check_shows_the_constructor_and_the_input_shapes(tmp_path):
    """Not the probe's own arguments (``MLP([12, 8, 4], 'forward')``)."""
    (feedback,) = failed_feedback(tmp_path, "modules", "MLP", "no_flatten").values()
    assert "mat1 and mat2 shapes cannot be multiplied" in feedback
    assert "Failing input: MLP(12, 8, 4) in eval mode, on X of shape (5, 3, 4)" in feedback
    assert "'forward'" not in feedback
    assert "Hint: flatten each example" in feedback


def feedback_of(tmp_path, assignment: str, function: str, source: str) -> dict[str, str]:
    """The failed checks' feedback of ``function`` replaced by ``source``."""
    results = grade_replacement(tmp_path, assignment, source, function)
    return {r.check: r.feedback for r in results if not r.passed}


def test_a_wrong_dtype_in_a_value_check_gets_the_dtype_hint_not_the_recipe(tmp_path):
    """The agreement check's hint is about the values; a dtype mistake gets its own."""
    feedback = failed_feedback(tmp_path, "tensors", "broadcast_to", "float_cast")
    text = feedback["agrees with torch.broadcast_to (shape, values, dtype)"]
    assert "has the wrong dtype" in text
    assert "Hint: keep the input's dtype" in text, text
    assert "unsqueeze" not in text


def test_a_statistics_check_gives_a_wrong_shape_the_shape_hint(tmp_path):
    """Not "torch.rand is uniform": the draws were never judged."""
    source = (
        "import torch\n\n\n"
        "def synthetic_data(w, b, num_examples, noise=0.01):\n"
        "    X = torch.normal(0.0, 1.0, (num_examples, len(w) + 1), dtype=w.dtype)\n"
        "    y = X[:, 1:] @ w + b + torch.normal(0.0, noise, (num_examples,), dtype=w.dtype)\n"
        "    return X, y.reshape(-1, 1)\n"
    )
    feedback = feedback_of(tmp_path, "linear_regression", "synthetic_data", source)
    text = feedback["X's entries are independent draws from N(0, 1) (statistical bound)"]
    assert "X should have shape (num_examples, len(w))" in text
    assert "Hint: X has one row of len(w) draws per example" in text, text
    assert "torch.rand" not in text


def test_a_dtype_mistake_at_the_extremes_gets_the_dtype_hint(tmp_path):
    """Zeros of the right values but float32: not "dropout is the probability of dropping"."""
    feedback = failed_feedback(tmp_path, "mlp", "dropout_layer", "zeros_on_cpu")
    text = feedback["dropout = 0 keeps X exactly and dropout = 1 gives zeros exactly"]
    assert "the result should have X's dtype" in text, text
    assert "Hint: keep X's dtype: torch.zeros(X.shape)" in text
    assert "DROPPING" not in text


def test_a_moved_layer_shows_the_constructor_and_the_input_shape(tmp_path):
    """Not the probe's arguments (``BatchNorm([3, 4], 'move')``)."""
    feedback = failed_feedback(tmp_path, "batch_norm", "BatchNorm", "plain_attributes")
    text = feedback["the buffers move with .to(): float64, meta (and CUDA if present)"]
    assert (
        "Failing input: BatchNorm(3, num_dims=4).to(torch.float64), then a training step on X "
        "of shape (2, 3, 3, 3)" in text
    ), text
    assert "'move'" not in text


def test_scikit_learns_return_order_costs_the_order_check_alone(tmp_path):
    """The fold checks read the four parts by their contents."""
    feedback = failed_feedback(
        tmp_path, "model_selection", "get_k_fold_data", "sklearn_return_order"
    )
    assert list(feedback) == ["returns (X_train, y_train, X_valid, y_valid), in this order"]
    (text,) = feedback.values()
    assert "Got: rows of X (5 samples), rows of X (2 samples), labels, labels" in text, text
    assert "Hint: the contract's order is (X_train, y_train, X_valid, y_valid)" in text


def test_a_wrong_shape_gets_the_shape_hint_not_the_formula(tmp_path):
    """A column where a vector is due: the values are right, the layout is not."""
    feedback = failed_feedback(tmp_path, "linear_regression", "linreg", "always_column")
    (text,) = feedback.values()
    assert "has the wrong shape" in text
    assert "Hint: X @ w keeps w's layout" in text, text
    assert "multiplies elementwise" not in text


def test_a_dtype_clash_in_a_statistics_check_gets_the_dtype_hint(tmp_path):
    """The issue's case, the other way round: X made in float64 whatever w's dtype, so the
    float32 w of the statistics checks raises. Not "torch.rand is uniform": no draw was
    judged."""
    source = (
        "import torch\n\n\n"
        "def synthetic_data(w, b, num_examples, noise=0.01):\n"
        "    X = torch.normal(0.0, 1.0, (num_examples, len(w)), dtype=torch.float64)\n"
        "    y = X @ w + b + torch.normal(0.0, noise, (num_examples,), dtype=torch.float64)\n"
        "    return X, y.reshape(-1, 1)\n"
    )
    feedback = feedback_of(tmp_path, "linear_regression", "synthetic_data", source)
    for check in (
        "X's entries are independent draws from N(0, 1) (statistical bound)",
        "y = X @ w + b + noise, the noise drawn from N(0, noise**2) (statistical bound)",
    ):
        text = feedback[check]
        assert "same dtype" in text
        assert "Hint: create X and the noise with dtype=w.dtype" in text, text
        assert "torch.rand" not in text
