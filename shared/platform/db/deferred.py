"""Rows a unit of work keeps until it ends, then writes in one statement.

A row added inside a savepoint that is later rolled back is forgotten with it: the
savepoint is remembered (SQLAlchemy's `after_soft_rollback`), and a row is kept only if
neither the savepoint it was added in nor any enclosing one was rolled back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

_ROLLED_BACK = "rolled_back_savepoints"


@event.listens_for(Session, "after_soft_rollback")
def _remember_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        session.info.setdefault(_ROLLED_BACK, set()).add(previous_transaction)


def _undone(transaction: SessionTransaction | None, rolled_back: set[SessionTransaction]) -> bool:
    while transaction is not None:
        if transaction in rolled_back:
            return True
        transaction = transaction.parent
    return False


class DeferredRows:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: list[tuple[SessionTransaction | None, dict[str, Any]]] = []

    def add(self, row: dict[str, Any]) -> None:
        self._rows.append((self._session.sync_session.get_nested_transaction(), row))

    def take(self) -> list[dict[str, Any]]:
        """The rows still standing, in the order they were added; forgotten here."""
        rows, self._rows = self._rows, []
        rolled_back: set[SessionTransaction] = self._session.sync_session.info.get(
            _ROLLED_BACK, set()
        )
        return [row for savepoint, row in rows if not _undone(savepoint, rolled_back)]
