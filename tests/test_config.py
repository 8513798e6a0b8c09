"""One grading run's settings: environment variables only as defaults, options over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.engine.sandbox import Limits
from autograder.grading.config import GradingConfig
from autograder.grading.truth import GroundTruth

pytestmark = pytest.mark.unit


def test_the_environment_gives_the_defaults_and_options_win(tmp_path):
    environ = {
        "AUTOGRADER_DATA_ROOT": str(tmp_path / "data"),
        "AUTOGRADER_CACHE_DIR": str(tmp_path / "cache"),
        "AUTOGRADER_REPLAY": "0",
    }
    config = GradingConfig.from_environment(environ)
    assert config.data_root == (tmp_path / "data").resolve()
    assert config.cache_dir == tmp_path / "cache"
    assert config.replay is False
    assert GradingConfig.from_environment(environ, replay=True, data_root=None).replay is True


def test_an_empty_cache_variable_keeps_nothing_on_disk_and_xdg_is_the_default(tmp_path):
    assert GradingConfig.from_environment({"AUTOGRADER_CACHE_DIR": ""}).cache_dir is None
    xdg = GradingConfig.from_environment({"XDG_CACHE_HOME": str(tmp_path)})
    assert xdg.cache_dir == tmp_path / "autograder"
    assert xdg.data_root is None and xdg.replay is True


def test_a_config_travels_to_another_process_as_plain_data():
    config = GradingConfig(
        data_root=Path("/data"),
        cache_dir=None,
        replay=False,
        limits=Limits(weak_sandbox=True),
        truth=GroundTruth("oracle", Path("/answers")),
    )
    assert GradingConfig.from_dict(config.to_dict()) == config


def test_a_config_cannot_be_changed_in_place():
    with pytest.raises(AttributeError):
        GradingConfig().replay = False  # type: ignore[misc]
