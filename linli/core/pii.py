"""Personal data at rest: authenticated encryption plus a keyed blind index for exact search.

Keys derive from ``settings.PII_KEY`` (env ``LINLI_PII_KEY``). Ciphertexts carry a version
prefix so that keys can be rotated. Clear values never sit on model instances: models hold the
ciphertext, the blind index and a masked form; :func:`reveal` decrypts for one permitted,
audited read.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_VERSION = "v1"


@cache
def _keys(secret):
    def derive(info):
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
            secret.encode()
        )

    return derive(b"linli-pii-encryption"), derive(b"linli-pii-blind-index")


def encrypt(clear: str) -> str:
    enc_key, _ = _keys(settings.PII_KEY)
    nonce = os.urandom(12)
    sealed = AESGCM(enc_key).encrypt(nonce, clear.encode(), _VERSION.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown PII cipher version")
    raw = base64.b64decode(body)
    enc_key, _ = _keys(settings.PII_KEY)
    return AESGCM(enc_key).decrypt(raw[:12], raw[12:], version.encode()).decode()


def blind_index(clear: str) -> str:
    _, index_key = _keys(settings.PII_KEY)
    return hmac.new(index_key, clear.encode(), hashlib.sha256).hexdigest()
