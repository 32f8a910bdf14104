"""Field encryption (数据加密) of the sensitive personal information.

The keys live outside the database, in the Odoo configuration, the
convention of OCA ``data_encryption``::

    running_env = prod
    encryption_key_prod = <Fernet key>               ; encrypts and decrypts
    encryption_key_prod_previous = <key>[,<key>...]  ; decrypt only (key rotation)

or, when the configuration has no such option, in the environment variables
``ODOO_ENCRYPTION_KEY`` and ``ODOO_ENCRYPTION_KEY_PREVIOUS``.

A stored value is ``<key id>:<Fernet token>``: Fernet is authenticated
encryption (AES-128-CBC with an HMAC-SHA256 over the token), the key id (8 hex
characters of a hash of the key) says which key decrypts it, so a rotation
knows which rows are still to do. Exact-match search and duplicate detection
compare a *blind index*: an HMAC-SHA256 of the normalised value under a key
derived from the encryption key, never the value itself.
"""

import base64
import hashlib
import hmac
import os

from cryptography.fernet import Fernet, InvalidToken

from odoo.tools import config

DEFAULT_ENV = "dev"
ENV_VARIABLE = "ODOO_ENCRYPTION_KEY"
ENV_VARIABLE_PREVIOUS = "ODOO_ENCRYPTION_KEY_PREVIOUS"
SEPARATOR = ":"


class EncryptionKeyMissing(Exception):
    """No key is configured, or a stored value was encrypted with a key that
    is not configured (any more)."""


class EncryptionKey:
    """One Fernet key: encryption, its id and the blind-index key derived from it."""

    def __init__(self, key):
        key = key.strip()
        self.fernet = Fernet(key.encode())
        raw = base64.urlsafe_b64decode(key.encode())
        self.key_id = hashlib.sha256(b"customer_archive key id" + raw).hexdigest()[:8]
        self.index_key = hmac.new(raw, b"customer_archive blind index", hashlib.sha256).digest()

    def encrypt(self, plain):
        return f"{self.key_id}{SEPARATOR}{self.fernet.encrypt(plain.encode()).decode()}"

    def blind_index(self, normalised):
        return hmac.new(self.index_key, normalised.encode(), hashlib.sha256).hexdigest()[:32]


def environment_name():
    return config.get("running_env") or DEFAULT_ENV


def key_option_name():
    return f"encryption_key_{environment_name()}"


def _configured(option, variable):
    value = config.get(option) or os.environ.get(variable) or ""
    return [part for part in (piece.strip() for piece in str(value).split(",")) if part]


_KEYRINGS = {}


def keyring():
    """The configured keys, current first: ``[EncryptionKey, ...]``.

    :raise EncryptionKeyMissing: when no current key is configured
    """
    option = key_option_name()
    current = _configured(option, ENV_VARIABLE)[:1]
    previous = _configured(f"{option}_previous", ENV_VARIABLE_PREVIOUS)
    signature = tuple(current + previous)
    if not current:
        raise EncryptionKeyMissing(option)
    if signature not in _KEYRINGS:
        _KEYRINGS.clear()
        _KEYRINGS[signature] = [EncryptionKey(key) for key in signature]
    return _KEYRINGS[signature]


def current_key():
    return keyring()[0]


def encrypt(plain):
    """``<key id>:<token>`` of ``plain`` under the current key; False stays False."""
    if not plain:
        return False
    return current_key().encrypt(plain)


def decrypt(stored):
    """The plain text of a stored value; False stays False.

    :raise EncryptionKeyMissing: when the key that encrypted it is not configured
    :raise InvalidToken: when the value was changed (authentication failed)
    """
    if not stored:
        return False
    key_id, _sep, token = stored.partition(SEPARATOR)
    for key in keyring():
        if key.key_id == key_id:
            return key.fernet.decrypt(token.encode()).decode()
    raise EncryptionKeyMissing(key_id)


def blind_indexes(normalised):
    """The blind index of a normalised value under every configured key (the
    current one first): a search during a key rotation finds the rows of
    both keys."""
    if not normalised:
        return []
    return [key.blind_index(normalised) for key in keyring()]


def blind_index(normalised):
    """The blind index under the current key; False for an empty value."""
    if not normalised:
        return False
    return current_key().blind_index(normalised)


def is_current(stored):
    return not stored or stored.startswith(current_key().key_id + SEPARATOR)


def generate_key():
    return Fernet.generate_key().decode()


__all__ = [
    "EncryptionKeyMissing",
    "InvalidToken",
    "blind_index",
    "blind_indexes",
    "decrypt",
    "encrypt",
    "generate_key",
    "is_current",
    "key_option_name",
    "keyring",
]
