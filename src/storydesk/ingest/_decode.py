"""Bytes to text: BOMs first, then strict UTF-8, then the declared HTML charset, then charset-normalizer."""

from __future__ import annotations

import codecs
import re

from . import rules

__all__ = ["decode_bytes", "binary_kind"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class BinaryContentError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def binary_kind(data: bytes) -> str | None:
    """A short description if ``data`` starts like a known binary format or holds NUL bytes."""
    for magic, name in rules.BINARY_MAGIC.items():
        if data.startswith(magic):
            return name
    head = data[: rules.SNIFF_BYTES]
    if b"\x00" in head and not any(head.startswith(bom) for bom, _ in _BOMS):
        return "binary data (it contains NUL bytes)"
    return None


def _too_many_controls(text: str) -> bool:
    sample = text[:20000]
    return bool(sample) and len(_CONTROL.findall(sample)) / len(sample) > rules.MAX_CONTROL_CHAR_RATIO


def decode_bytes(data: bytes) -> str:
    """Decode text of any encoding; raise :class:`BinaryContentError` for binary data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    kind = binary_kind(data)
    if kind:
        raise BinaryContentError(f"not text: {kind}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_guess(data)
    if _too_many_controls(text):
        raise BinaryContentError("not text: binary data (too many control characters)")
    return text


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode a byte that is not UTF-8 as Windows-1252 (what such a stray byte nearly always is)."""
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


_CP1252_FALLBACK = "storydesk-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def _mostly_utf8(data: bytes) -> bool:
    """Whether the non-ASCII bytes are, nearly all, well-formed UTF-8 sequences."""
    sequences = _UTF8_MULTIBYTE.findall(data)
    if len(sequences) < rules.MIN_UTF8_SEQUENCES:
        return False
    in_sequences = sum(len(s) for s in sequences)
    stray = len(_HIGH_BYTE.findall(data)) - in_sequences
    return stray <= rules.MAX_STRAY_BYTE_SHARE * len(sequences)


def _decode_guess(data: bytes) -> str:
    declared = _META_CHARSET.search(data[: rules.SNIFF_BYTES * 4])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            pass
        else:
            if name not in {"utf-8", "utf8"}:
                if _mostly_utf8(data):
                    # A page written in UTF-8 under a wrong single-byte label ("CafÃ©" if trusted), with
                    # a stray byte that keeps strict UTF-8 from fitting: the bytes tell more than the label.
                    return data.decode("utf-8", errors=_CP1252_FALLBACK)
                # Browsers read latin-1 labels as windows-1252; do the same.
                codec = "cp1252" if name in {"iso-8859-1", "latin-1", "latin1", "us-ascii"} else name
                try:
                    return data.decode(codec)
                except UnicodeDecodeError:
                    pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BinaryContentError("not text: no character encoding fits (binary data?)")
    return str(best)
