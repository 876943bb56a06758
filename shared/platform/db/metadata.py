"""Tables every service has in its own database: outbox, inbox, dead letters, audit log
and the received policy versions. Defined once here; each service's first migration
creates them with `shared.platform.db.migration_ops`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.dialects.postgresql import base as postgresql_base
from sqlalchemy.types import UserDefinedType


class Xid8(UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (`pg_current_xact_id()`)."""

    cache_ok = True

    def get_col_spec(self, **_: object) -> str:
        return "xid8"


# Known to reflection too, so `alembic check` compares the column instead of warning.
postgresql_base.ischema_names["xid8"] = Xid8


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A metadata with the naming convention; each service builds its own tables on one."""
    return MetaData(naming_convention=NAMING_CONVENTION)


shared_metadata = new_metadata()

# Transactional outbox: written in the business transaction, published by the relay.
outbox = Table(
    "outbox",
    shared_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=False), nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("key", String(100), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("envelope", LargeBinary, nullable=False),  # the serialized CloudEvent, sent as is
    Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    # The writing transaction: the relay publishes a row only once every transaction that
    # started before it has ended, so a row can never overtake an older one still in flight.
    Column("txid", Xid8(), nullable=False, server_default=text("pg_current_xact_id()")),
    # Set when the broker refuses the row for good (e.g. too large): listed and retried by
    # an operator (ops endpoints), never retried blindly.
    Column("parked_at", DateTime(timezone=True)),
)
_PENDING = outbox.c.published_at.is_(None) & outbox.c.parked_at.is_(None)
# The relay only ever looks at pending rows, in id order.
Index("ix_outbox_pending", outbox.c.id, postgresql_where=_PENDING)
Index("ix_outbox_pending_key", outbox.c.key, outbox.c.id, postgresql_where=_PENDING)

# Inbox: the ids of events a consumer has handled, written with the effect.
inbox = Table(
    "inbox",
    shared_metadata,
    Column("consumer", String(100), primary_key=True),
    # CloudEvents ids are unique per source only: two agencies may both send id "1001".
    Column("event_source", String(200), primary_key=True),
    Column("event_id", String(200), primary_key=True),
    Column("event_type", String(200), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("handled_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Messages a consumer gave up on, also sent to `<topic>.dlq.<service>`; listable and replayable.
dead_letter = Table(
    "dead_letter",
    shared_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("consumer", String(100), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("key", Text),
    Column("value", LargeBinary),
    Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("event_source", String(200)),
    Column("event_id", String(200)),
    Column("event_type", String(200)),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("replayed_at", DateTime(timezone=True)),
    # A message redelivered after a failed DLQ publish is recorded once.
    UniqueConstraint("consumer", "topic", "partition", "offset", name="uq_dead_letter_message"),
)

# Append-only audit log (architecture.md guarantee 6); a trigger refuses UPDATE and DELETE.
audit_log = Table(
    "audit_log",
    shared_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor_sub", String(200)),
    Column("actor_role", String(20)),
    Column("actor_org", String(50)),
    Column("action", String(100), nullable=False),
    Column("entity", String(100), nullable=False),
    Column("entity_id", String(100), nullable=False),
    Column("before", JSONB),
    Column("after", JSONB),
    Column("request_id", String(100)),
)
Index("ix_audit_log_entity", audit_log.c.entity, audit_log.c.entity_id)

# Policy versions this service knows: shipped defaults are version 1 in code; changes made
# with PUT /policy/{year} arrive as `cn.sme.policy.updated.v1` and are kept here.
policy_version = Table(
    "policy_version",
    shared_metadata,
    Column("year", Integer, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("created_by", String(200)),
)
