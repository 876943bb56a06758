"""Evidence documents' bytes on an S3-compatible object store (obstore's async client).

Rows in intake's database hold the metadata and the SHA-256; the object key is derived
from the content (`object_key`), so the same bytes uploaded twice to one application are
one object. Every failure to reach the store is `DocumentStoreUnavailable` (a 503 with
Retry-After), raised before any row is written: nothing is half-stored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from shared.kernel.errors import DependencyUnavailable
from shared.platform.settings import ServiceSettings

log = logging.getLogger("intake.object_store")

KEY_PREFIX = "applications/"
# obstore raises its own class or the built-in one, depending on the call.
_NOT_FOUND = (NotFoundError, FileNotFoundError)


class DocumentStoreUnavailable(DependencyUnavailable):
    code = "unavailable"
    message = "材料存储服务暂时不可用，请稍后重试"
    message_en = "The document store is temporarily unavailable; retry later"


class DocumentContentMissing(DependencyUnavailable):
    """A row whose object is gone (deleted by hand on the store): an operator must look."""

    code = "unavailable"
    message = "材料内容暂时无法读取，请稍后重试"
    message_en = "The document's content cannot be read right now; retry later"


def object_key(application_id: uuid.UUID, sha256: str) -> str:
    """Content-derived: one object per distinct content of one application."""
    return f"{KEY_PREFIX}{application_id}/{sha256}"


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    last_modified: datetime


class DocumentStore:
    def __init__(self, settings: ServiceSettings) -> None:
        timeout = timedelta(seconds=settings.s3_timeout)
        config: dict[str, str | bool] = {"region": settings.s3_region}
        if settings.s3_endpoint_url:
            config["endpoint"] = settings.s3_endpoint_url
            # MinIO, Ceph and S3Proxy serve buckets as paths, not as host names.
            config["virtual_hosted_style_request"] = False
            # One DELETE per key: not every S3-compatible server has multi-object delete.
            config["disable_bulk_delete"] = True
        if settings.s3_access_key_id and settings.s3_secret_access_key:
            config["access_key_id"] = settings.s3_access_key_id
            config["secret_access_key"] = settings.s3_secret_access_key
        self.bucket = settings.s3_bucket
        self._store = S3Store(
            settings.s3_bucket,
            config=config,  # type: ignore[arg-type]  # keys checked by obstore at start-up
            client_options={
                "allow_http": bool(
                    settings.s3_endpoint_url and settings.s3_endpoint_url.startswith("http://")
                ),
                "timeout": timeout,
                "connect_timeout": timedelta(seconds=min(5.0, settings.s3_timeout)),
            },
            # One quick retry; beyond that the caller gets a 503 and retries itself.
            retry_config={
                "max_retries": 1,
                "retry_timeout": timeout,
                "backoff": {
                    "init_backoff": timedelta(milliseconds=100),
                    "max_backoff": timedelta(seconds=1),
                    "base": 2,
                },
            },
        )

    async def put_file(self, key: str, path: Path) -> None:
        """Upload a spooled file (multipart for large ones); idempotent for one key."""
        try:
            await obstore.put_async(self._store, key, path)
        except Exception as exc:
            log.warning("object store put failed", extra={"key": key, "error": str(exc)[:300]})
            raise DocumentStoreUnavailable() from exc

    async def read(self, key: str, chunk_size: int = 256 * 1024) -> AsyncIterator[bytes]:
        """The object's bytes in chunks; the first chunk is fetched before returning, so an
        outage is a 503 rather than a broken response."""
        try:
            result = await obstore.get_async(self._store, key)
            stream = result.stream(min_chunk_size=chunk_size)
            first = await anext(stream, None)
        except _NOT_FOUND as exc:
            raise DocumentContentMissing() from exc
        except Exception as exc:
            log.warning("object store get failed", extra={"key": key, "error": str(exc)[:300]})
            raise DocumentStoreUnavailable() from exc

        async def chunks() -> AsyncIterator[bytes]:
            if first is not None:
                yield bytes(first)
            async for chunk in stream:
                yield bytes(chunk)

        return chunks()

    async def delete(self, key: str) -> None:
        try:
            await obstore.delete_async(self._store, key)
        except _NOT_FOUND:
            return
        except Exception as exc:
            raise DocumentStoreUnavailable() from exc

    async def exists(self, key: str) -> bool:
        try:
            await obstore.head_async(self._store, key)
        except _NOT_FOUND:
            return False
        except Exception as exc:
            raise DocumentStoreUnavailable() from exc
        return True

    async def list_objects(self, prefix: str = KEY_PREFIX) -> AsyncIterator[StoredObject]:
        try:
            async for batch in obstore.list(self._store, prefix=prefix, chunk_size=500):
                for meta in batch:
                    yield StoredObject(meta["path"], meta["size"], meta["last_modified"])
        except Exception as exc:
            raise DocumentStoreUnavailable() from exc
