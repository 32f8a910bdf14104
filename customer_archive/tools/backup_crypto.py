"""Encrypted backup files (setup/backup.sh --encrypt, setup/restore.sh).

A backup zip is encrypted with AES-256-GCM in chunks of 1 MiB, so files of
any size stream through: the key comes from a passphrase (scrypt, random
salt in the header). Every chunk is authenticated with its number and a
last-chunk flag, so a changed, reordered or cut file is refused.

Format: ``MAGIC`` | salt (16) | chunks of [length (4, big endian) | nonce (12) |
ciphertext+tag]; the associated data of chunk *n* is
``MAGIC + salt + n (8) + last (1)``.

Pure functions, no Odoo: used from the shell scripts and the tests.
"""

import os
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"CUSTOMER-ARCHIVE-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
SALT_SIZE = 16
NONCE_SIZE = 12


class BackupDecryptionError(Exception):
    """Wrong passphrase, or the file was changed or cut."""


def _key(passphrase, salt):
    if not passphrase:
        raise ValueError("an empty passphrase cannot protect a backup")
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _associated(salt, index, last):
    return MAGIC + salt + struct.pack(">QB", index, int(last))


def is_encrypted(path):
    with open(path, "rb") as stream:
        return stream.read(len(MAGIC)) == MAGIC


def encrypt_file(source, target, passphrase):
    salt = os.urandom(SALT_SIZE)
    cipher = AESGCM(_key(passphrase, salt))
    with open(source, "rb") as plain, open(target, "wb") as out:
        out.write(MAGIC + salt)
        index = 0
        chunk = plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            nonce = os.urandom(NONCE_SIZE)
            sealed = cipher.encrypt(nonce, chunk, _associated(salt, index, last))
            out.write(struct.pack(">I", len(sealed)) + nonce + sealed)
            if last:
                break
            chunk, index = following, index + 1


def decrypt_file(source, target, passphrase):
    with open(source, "rb") as sealed_file, open(target, "wb") as out:
        if sealed_file.read(len(MAGIC)) != MAGIC:
            raise BackupDecryptionError("not an encrypted customer archive backup")
        salt = sealed_file.read(SALT_SIZE)
        cipher = AESGCM(_key(passphrase, salt))
        index = 0
        while True:
            header = sealed_file.read(4)
            if len(header) < 4:
                raise BackupDecryptionError("the backup file is cut off")
            (length,) = struct.unpack(">I", header)
            nonce = sealed_file.read(NONCE_SIZE)
            sealed = sealed_file.read(length)
            last = not sealed_file.peek(1) if hasattr(sealed_file, "peek") else False
            try:
                out.write(cipher.decrypt(nonce, sealed, _associated(salt, index, last)))
            except InvalidTag:
                raise BackupDecryptionError(
                    "wrong passphrase, or the backup file was changed or cut off"
                ) from None
            if last:
                return
            index += 1


def main(argv):
    """``python backup_crypto.py encrypt|decrypt SOURCE TARGET``; the
    passphrase is read from the environment variable BACKUP_PASSPHRASE."""
    command, source, target = argv
    passphrase = os.environ.get("BACKUP_PASSPHRASE", "")
    try:
        (encrypt_file if command == "encrypt" else decrypt_file)(source, target, passphrase)
    except (BackupDecryptionError, ValueError) as error:
        sys.stderr.write(f"{error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
