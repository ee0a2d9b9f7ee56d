"""Librarian accounts: names and salted password hashes in ``$LIBRARY_HOME/users.json``
(never in the store). ``library users add NAME`` creates one. Removing an account or changing
its password ends its open sessions (``accounts``)."""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from .accounts import Accounts

NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MIN_PASSWORD = 10
_DUMMY = generate_password_hash(secrets.token_hex(16))


class UserError(ValueError):
    pass


class Users:
    def __init__(self, home: Path):
        self.path = Path(home) / "users.json"
        self.accounts = Accounts(home)

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, users: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".users.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(users, fh, indent=1, sort_keys=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def add(self, name: str, password: str) -> None:
        if not NAME.match(name):
            raise UserError("a user name is 1 to 64 letters, digits, '.', '_' or '-'")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
        users = self._load()
        changed = name in users
        users[name] = generate_password_hash(password)
        self._save(users)
        if changed:  # whoever knew the old password is logged out too
            self.accounts.close_sessions_of(name)

    def remove(self, name: str) -> bool:
        users = self._load()
        if users.pop(name, None) is None:
            return False
        self._save(users)
        self.accounts.close_sessions_of(name)
        return True

    def exists(self, name: str) -> bool:
        return name in self._load()

    def names(self) -> list[str]:
        return sorted(self._load())

    def verify(self, name: str, password: str) -> bool:
        stored = self._load().get(name)
        # an unknown name costs as much time as a wrong password: no user enumeration
        ok = check_password_hash(stored or _DUMMY, password)
        return bool(stored) and ok


def secret_key(home: Path) -> bytes:
    """The session-signing key, made once per library home and kept private to its owner."""
    path = Path(home) / "secret_key"
    if not path.exists():
        # several server workers start at once: the key is written whole under a name of its
        # own, then linked into place, which fails if another worker's key got there first (so
        # every worker reads the one key, never a half-written file)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
            os.chmod(tmp, 0o600)
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_bytes()
