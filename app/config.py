"""Settings: one object, read from the environment and `.env`, validated at start."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAPPORT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "RAPPORT_DATABASE_URL"),
        description="postgresql://user:pass@host:port/db; unset = embedded PostgreSQL",
    )
    data_dir: Path = Field(default=Path(".rapport"), description="embedded PostgreSQL data")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    env: Literal["development", "production"] = "development"
    signup: Literal["open", "closed"] = "closed"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_json: bool = True
    app_role: str = Field(default="rapport_app", pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    session_ttl_hours: int = Field(default=24 * 14, ge=1, le=24 * 365)
    cookie_secure: bool = False
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    in_process_worker: bool = True
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    default_timezone: str = "Asia/Shanghai"
    webhooks_allow_private: bool = False
    db_pool_size: int = Field(default=10, ge=1, le=200)
    #: memory a sort or hash of one request may use before spilling to disk: analytics
    #: group and rank a hundred thousand buyers in a quarter at the reference scale
    db_work_mem: str = Field(default="32MB", pattern=r"^[1-9][0-9]{0,6}(kB|MB|GB)$")

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        scheme = value.split("://", 1)[0]
        if scheme not in ("postgresql", "postgres", "postgresql+asyncpg"):
            raise ValueError("must start with postgresql:// (Rapport runs on PostgreSQL only)")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class SettingsError(SystemExit):
    """Raised at start-up with a readable message when a setting is invalid."""


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        lines = ["Rapport cannot start: invalid configuration"]
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "?"
            env_name = "DATABASE_URL" if name == "database_url" else f"RAPPORT_{name.upper()}"
            lines.append(f"  {env_name}: {err['msg']}")
        raise SettingsError("\n".join(lines)) from None
