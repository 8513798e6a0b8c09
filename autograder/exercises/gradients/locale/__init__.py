"""This assignment's text in every language but English: one module per language."""
