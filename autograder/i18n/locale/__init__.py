"""The grader's own text in every language but English: one module per language."""
