"""Encryption of database backups: `make backup` pipes pg_dump through `encrypt`, `make restore`
pipes the file through `decrypt` into pg_restore, so no plaintext dump touches the disk.

    python -m buurtzorg.backup keygen             # a new key pair, for .env
    python -m buurtzorg.backup encrypt < in > out  # to BACKUP_RECIPIENT, or BACKUP_KEY's
    python -m buurtzorg.backup decrypt < in > out  # with BACKUP_KEY

The format is age (https://age-encryption.org/v1), through pyrage (Python bindings of rage, the
Rust implementation): X25519 keys, ChaCha20-Poly1305 in 64 KiB authenticated chunks, streamed,
so a changed or truncated file fails to decrypt instead of restoring part of it. A file can also
be decrypted with the standard `age -d -i key.txt` tool, without this app. A machine that only
makes backups needs only the public recipient (age1...), never the secret key.

Runs without Django (the Makefile calls it with the venv's Python only).
"""

import os
import sys
from io import BufferedIOBase
from typing import cast

import pyrage
from pyrage import x25519

NO_KEY = (
    "Set BACKUP_KEY (AGE-SECRET-KEY-1..., see `make backup-key`) or BACKUP_RECIPIENT (age1...) "
    "to encrypt backups."
)
NO_SECRET_KEY = "Set BACKUP_KEY (AGE-SECRET-KEY-1...) to decrypt a backup."
WRONG_KEY = "This backup cannot be decrypted with BACKUP_KEY (another key, or a damaged file)."
BAD_KEY = "BACKUP_KEY is not an age secret key (AGE-SECRET-KEY-1...)."
BAD_RECIPIENT = "BACKUP_RECIPIENT is not an age public key (age1...)."


class BackupKeyError(Exception):
    """A missing or malformed key, or a file the key does not open: the message says which."""


def _identity() -> x25519.Identity:
    key = os.environ.get("BACKUP_KEY", "").strip()
    if not key:
        raise BackupKeyError(NO_SECRET_KEY)
    try:
        return x25519.Identity.from_str(key)
    except pyrage.IdentityError as exc:
        raise BackupKeyError(BAD_KEY) from exc


def _recipient() -> x25519.Recipient:
    public = os.environ.get("BACKUP_RECIPIENT", "").strip()
    if public:
        try:
            return x25519.Recipient.from_str(public)
        except pyrage.RecipientError as exc:
            raise BackupKeyError(BAD_RECIPIENT) from exc
    if not os.environ.get("BACKUP_KEY", "").strip():
        raise BackupKeyError(NO_KEY)
    return _identity().to_public()


def encrypt_stream(source: BufferedIOBase, target: BufferedIOBase) -> None:
    pyrage.encrypt_io(source, target, [_recipient()])


def decrypt_stream(source: BufferedIOBase, target: BufferedIOBase) -> None:
    identity = _identity()
    try:
        pyrage.decrypt_io(source, target, [identity])
    except pyrage.DecryptError as exc:
        raise BackupKeyError(WRONG_KEY) from exc


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) == 2 else ""
    if command == "keygen":
        identity = x25519.Identity.generate()
        sys.stdout.write(f"BACKUP_KEY={identity}\nBACKUP_RECIPIENT={identity.to_public()}\n")
        return 0
    if command not in ("encrypt", "decrypt"):
        sys.stderr.write("usage: python -m buurtzorg.backup keygen|encrypt|decrypt\n")
        return 2
    try:
        # stdin and stdout's buffers are BufferedReader/Writer (typeshed calls them BinaryIO).
        stdin = cast(BufferedIOBase, sys.stdin.buffer)
        stdout = cast(BufferedIOBase, sys.stdout.buffer)
        (encrypt_stream if command == "encrypt" else decrypt_stream)(stdin, stdout)
    except BackupKeyError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
