"""API keys: made for a person (``rollcall token``), checked on each API request (``Authorization:
Bearer KEY``). Only a key's SHA-256 is stored, so a copy of the database gives no key; a key is
256 random bits, so its plain hash is enough (no salt or slow hash needed, unlike a password)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from rollcall.errors import RollcallError
from rollcall.web.people.models import ApiToken

PREFIX = "rc_"  # tells a rollcall key apart in a secret scanner or a config file


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_token(username: str) -> str:
    """A new key for the active account ``username``, stored as its hash; the key itself is
    returned once and never again."""
    users = get_user_model()
    user = users.objects.filter(**{users.USERNAME_FIELD: username}, is_active=True).first()
    if user is None:
        raise RollcallError(
            f"no active account named {username!r}",
            hint="create it in the admin pages (/admin/) first",
        )
    key = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=digest(key))
    return key


def user_for_key(key: str) -> AbstractBaseUser | None:
    """The active account ``key`` belongs to (noting when it was used), or None."""
    if not key.startswith(PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.filter(key_hash=digest(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
