import os

import pytest

# Hypothesis in the project's own tests: no database, deterministic.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", "/tmp/autograder-hypothesis")


def pytest_collection_modifyitems(config, items):
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU (run the CUDA tier on a GPU machine)")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(skip)
