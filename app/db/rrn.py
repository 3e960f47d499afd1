"""주민등록번호 at rest: authenticated ciphertext and a keyed hash, never the number itself.

개인정보 보호법 제24조의2 and 시행령 제21조의2 require a stored 주민등록번호 to be encrypted. The
``seekers`` table therefore holds two derived columns instead of the number:

* ``rrn_encrypted`` — AES-256-GCM ciphertext (:class:`RrnCipher`). The product itself never shows
  or exports the number; the ciphertext is kept (rather than only a masked form) because a real
  deployment links a seeker to 고용보험 records by this number, which is the legal ground for
  holding it, and because the synthetic world's fingerprint covers it
  (:mod:`app.db.fingerprint` decrypts it there and nowhere else).
* ``rrn_hmac`` — HMAC-SHA256 of the 13 digits under a secret key, to find the same person twice
  without decrypting. It is keyed on purpose: there are only ~10^9 plausible numbers, so a plain
  hash would be reversed by trying them all.

One 32-byte secret (settings ``rrn_key`` or the file ``rrn_key_file``) is the only key material;
HKDF derives the encryption key and the HMAC key from it so that neither can stand in for the
other. The key never lives in the repository: :func:`ensure_rrn_cipher` creates a random key file
with mode 600 (as ``python -m app build`` does for the users file) when none is configured.

Written with the ``cryptography`` package's AES-GCM and HKDF (maintained, audited primitives);
the token format around them is ours so that a token names the key it needs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.config import Settings, get_settings
from app.errors import NotReady
from app.text.pii import find_pii, mask_rrn

KEY_BYTES = 32
_NONCE_BYTES = 12
_TOKEN_VERSION = "g1"
_AAD = b"goyong-ai seekers.rrn"  # binds a token to this column: it will not decrypt as anything else
_RRN_DIGITS_RE = re.compile(r"^(\d{6})-?(\d{7})$", re.ASCII)

TOKEN_MAX_CHARS = 96
"""Width of ``seekers.rrn_encrypted``: a token is 68 characters (version, key id, 42 bytes base64)."""
HMAC_CHARS = 64
"""Width of ``seekers.rrn_hmac`` (SHA-256 in hex)."""


class RrnKeyError(NotReady):
    """The 주민등록번호 key is missing, malformed or not the one the data was encrypted with.

    The message says what to do and never contains key material or a number.
    """


def normalise_rrn(rrn: str) -> str:
    """The 13 digits of a 주민등록번호 written ``YYMMDD-GNNNNNN`` or without the hyphen.

    Raises:
        ValueError: Not 13 digits (the message does not repeat the value).
    """
    match = _RRN_DIGITS_RE.match(rrn.strip())
    if match is None:
        raise ValueError("주민등록번호 형식이 아닙니다 (숫자 13자리)")
    return match.group(1) + match.group(2)


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose).derive(master)


@dataclass(frozen=True)
class RrnCipher:
    """Encrypts, decrypts and keyed-hashes 주민등록번호 under one master key.

    Attributes:
        key_id: 8 hex characters naming the key (derived from it, reveals nothing about it); every
            token carries it so that a wrong key is reported as such.
    """

    _aead: AESGCM = field(repr=False)
    _mac_key: bytes = field(repr=False)
    key_id: str

    @classmethod
    def from_key(cls, master: bytes) -> RrnCipher:
        """A cipher from the 32-byte master secret."""
        if len(master) != KEY_BYTES:
            raise RrnKeyError(f"주민등록번호 암호화 키는 {KEY_BYTES}바이트여야 합니다")
        key_id = _derive(master, b"goyong-ai rrn key id").hex()[:8]
        return cls(AESGCM(_derive(master, b"goyong-ai rrn aes-256-gcm")), _derive(master, b"goyong-ai rrn hmac"), key_id)

    def encrypt(self, rrn: str) -> str:
        """Token of ``rrn`` (a fresh random nonce each call: equal numbers give different tokens).

        Raises:
            ValueError: ``rrn`` is not 13 digits.
        """
        digits = normalise_rrn(rrn)
        plain = f"{digits[:6]}-{digits[6:]}"  # one spelling, whatever the input style
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain.encode("ascii"), _AAD)
        body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
        return f"{_TOKEN_VERSION}:{self.key_id}:{body}"

    def decrypt(self, token: str) -> str:
        """The number (``YYMMDD-GNNNNNN``) a token of :meth:`encrypt` holds.

        Raises:
            RrnKeyError: The token was made with another key, or it was altered.
        """
        version, key_id, body = (token.split(":", 2) + ["", ""])[:3]
        if version != _TOKEN_VERSION or not body:
            raise RrnKeyError("암호화된 주민등록번호의 형식을 알 수 없습니다 (데이터가 손상되었을 수 있습니다)")
        if key_id != self.key_id:
            raise RrnKeyError(
                f"주민등록번호가 다른 키(키 번호 {key_id})로 암호화되어 있습니다. 지금 설정된 키는 {self.key_id}번입니다: "
                "GOYONG_RRN_KEY 또는 GOYONG_RRN_KEY_FILE을 그 데이터의 키로 맞추세요"
            )
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD).decode("ascii")
        except (InvalidTag, ValueError, binascii.Error):
            raise RrnKeyError("암호화된 주민등록번호가 변조되었거나 손상되어 복호화할 수 없습니다") from None

    def keyed_hash(self, rrn: str) -> str:
        """HMAC-SHA256 (hex) of the 13 digits: equal numbers, however written, give equal hashes."""
        return hmac.new(self._mac_key, normalise_rrn(rrn).encode("ascii"), hashlib.sha256).hexdigest()

    def protect(self, rrn: str) -> tuple[str | None, str | None]:
        """``(token, keyed hash)`` to store for ``rrn``; ``(None, None)`` for an empty value."""
        if not rrn:
            return None, None
        return self.encrypt(rrn), self.keyed_hash(rrn)


# --------------------------------------------------------------------------- the key


def _decode_key(text: str, source: str) -> bytes:
    try:
        master = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        master = b""
    if len(master) != KEY_BYTES:
        raise RrnKeyError(
            f"{source}의 주민등록번호 암호화 키 형식이 올바르지 않습니다 "
            f"({KEY_BYTES}바이트 난수를 URL-safe base64로 적어야 합니다)"
        )
    return master


def new_key_text() -> str:
    """A fresh random master key as written in the key file (URL-safe base64 of 32 bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def create_key_file(path: Path) -> bool:
    """Create ``path`` holding a random key, readable by the owner only (mode 600).

    Never replaces an existing file (whoever creates it first wins, also between processes).

    Returns:
        True when this call created the file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # Written under a temporary name first (mode 600 from the start), then linked into place: a
    # reader never sees a half-written key and an existing key is never overwritten.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(new_key_text() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _master_key(settings: Settings) -> bytes | None:
    if settings.rrn_key is not None and settings.rrn_key.get_secret_value().strip():
        return _decode_key(settings.rrn_key.get_secret_value(), "GOYONG_RRN_KEY")
    path = settings.rrn_key_file
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        raise RrnKeyError(f"주민등록번호 암호화 키 파일을 읽을 수 없습니다: {path}") from None
    return _decode_key(text, f"키 파일 {path}")


def load_rrn_cipher(settings: Settings | None = None) -> RrnCipher:
    """The cipher of the configured key (``GOYONG_RRN_KEY``, else the key file).

    Raises:
        RrnKeyError: No key is configured or it is malformed.
    """
    settings = settings or get_settings()
    master = _master_key(settings)
    if master is None:
        raise RrnKeyError(
            f"주민등록번호 암호화 키가 없습니다 ({settings.rrn_key_file}). "
            "`python -m app build`를 실행하거나 GOYONG_RRN_KEY를 설정하세요"
        )
    return RrnCipher.from_key(master)


def ensure_rrn_cipher(settings: Settings | None = None) -> RrnCipher:
    """The configured cipher, creating a random key file first when no key is configured.

    Used by what writes numbers (the world, the build's migration, the seeker import).
    """
    settings = settings or get_settings()
    if _master_key(settings) is None:
        create_key_file(settings.rrn_key_file)
    return load_rrn_cipher(settings)


def rrn_spans_in_text(text: str) -> list[tuple[int, int]]:
    """Offsets of every 주민등록번호 written inside free text (a résumé, a cover letter)."""
    return [(span.start, span.end) for span in find_pii(text) if span.kind == "rrn"] if text else []


def mask_rrns_in_text(text: str) -> str:
    """``text`` with every 주민등록번호 in it masked. Free text is stored as written otherwise, and a
    number there would be the plain text the ``rrn`` column's encryption exists to avoid."""
    for start, end in reversed(rrn_spans_in_text(text)):
        text = text[:start] + mask_rrn(text[start:end]) + text[end:]
    return text
