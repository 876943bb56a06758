"""Tracking's own tables (its database only)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from shared.db.metadata import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata
