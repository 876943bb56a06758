"""Text a person typed, checked once for every name, reason and free text of the API.

What no legitimate input contains is refused with a field error (422), never stored:
control characters (ANSI escapes, NUL, bell, ...), and in single-line fields CR/LF (a name
with a line break forges lines in exports and logs); bidirectional overrides and isolates
(U+202A-U+202E, U+2066-U+2069), which display text in another order than it is stored;
and content made only of invisible characters (zero-width spaces, joiners, BOM), which
looks empty to every reader. Long text keeps its line breaks (CRLF becomes LF).

Use `SingleLineText` / `LongText` as the base type of a field and add its length bounds:
`Annotated[SingleLineText, Field(min_length=1, max_length=200)]`.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _refuse_controls(value: str, *, newlines: bool) -> str:
    for char in value:
        if char == "\n" and newlines:
            continue
        if char in "\r\n":
            raise PydanticCustomError(
                "text_line_break", "不能包含换行符 / must be a single line (no CR or LF)"
            )
        if unicodedata.category(char) == "Cc":
            raise PydanticCustomError(
                "text_control_character",
                "不能包含控制字符 / must not contain control characters",
            )
        if char in _BIDI_CONTROLS:
            raise PydanticCustomError(
                "text_bidi_override",
                "不能包含双向文本控制字符 / must not contain bidirectional override characters",
            )
    if value and all(c in _INVISIBLE or c.isspace() for c in value):
        raise PydanticCustomError(
            "text_invisible", "不能只含不可见字符 / must not consist of invisible characters only"
        )
    return value


def single_line(value: str) -> str:
    return _refuse_controls(value, newlines=False)


def long_text(value: str) -> str:
    return _refuse_controls(value, newlines=True)


def _normalise_line_breaks(value: object) -> object:
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


SingleLineText = Annotated[str, AfterValidator(single_line)]
LongText = Annotated[str, BeforeValidator(_normalise_line_breaks), AfterValidator(long_text)]
