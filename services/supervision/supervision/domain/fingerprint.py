"""Duplicate detection of public filings: same filer, same subject, same text.

The text is compared after Unicode normalisation (full-width and half-width forms alike),
case folding and collapsing whitespace, so re-submitting with an extra space or a
full-width comma is still the same filing. Only a hash is kept for the comparison.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from supervision.domain.identity import Filer, normalise_phone

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def filer_key(filer: Filer | None, *, anonymous_as: str) -> str:
    """Who filed, as far as we know: the phone and name of a person, the organisation's
    name; for an anonymous filer the caller's client key (address or token subject)."""
    if filer is None:
        return f"anonymous:{anonymous_as}"
    parts = [
        filer.type.value,
        normalise_text(filer.organisation or ""),
        normalise_text(filer.name or ""),
        normalise_phone(filer.phone) if filer.phone else "",
    ]
    return "|".join(parts)


def filing_fingerprint(
    *, kind: str, subject_uscc: str, filer: str, grounds: str, facts: str
) -> str:
    material = "\x1f".join(
        (kind, subject_uscc, filer, normalise_text(grounds), normalise_text(facts))
    )
    return hashlib.sha256(material.encode()).hexdigest()
