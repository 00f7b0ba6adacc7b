"""Who signed in, and whether the deployment's allow-list admits them. No I/O.

``A2E_ALLOWED_USERS`` lists entries separated by commas (or spaces): an email address
(``alice@team.example``) admits that address; ``@team.example`` admits every address at that
domain, not at its subdomains. Matching is against the identity provider's ``email`` claim,
case-insensitive. Only a real JSON ``true`` in ``email_verified`` verifies an email; a
provider that does not send the claim at all (Microsoft Entra, for one) is taken at its word.
Anything else the claim holds (``false``, ``0``, ``"no"``, ``"false"``, even the text
``"true"``, ``null``) leaves the email unverified, and the list then admits no one by it.

- The setting unset (or blank): no list, so any signed-in user is admitted.
- The setting given: only the listed users. Malformed entries are kept aside for a warning and
  match nothing, so a setting made only of typos admits nobody (it never opens the dashboard).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[,;\s]+")
VERIFIED_CLAIM = "email_verified"
# How much of an odd ``email_verified`` claim a refusal quotes back.
_CLAIM_SHOWN = 40


@dataclass(frozen=True)
class SignedInUser:
    """What the identity provider said about a signed-in user (the claims the policy reads)."""

    email: str | None = None
    email_verified: bool | None = None
    name: str | None = None
    subject: str | None = None
    # The claim as the provider sent it (JSON, shortened), when it was not a real ``true``.
    verified_claim: str | None = None

    @classmethod
    def from_claims(cls, claims: Mapping[str, object]) -> SignedInUser:
        """The user described by an OIDC provider's claims (``st.user``)."""
        verified, said = _verified(claims)
        return cls(
            email=_text(claims.get("email")),
            email_verified=verified,
            name=_text(claims.get("name")),
            subject=_text(claims.get("sub")),
            verified_claim=said,
        )

    @property
    def label(self) -> str:
        """How to name the user on the page: the email, else the name, else the subject."""
        return self.email or self.name or self.subject or "a signed-in user"

    @property
    def key(self) -> str:
        """A stable name for this user's budgets and audit lines."""
        if self.email:
            return self.email.lower()
        return f"sub:{self.subject}" if self.subject else "signed-in"


@dataclass(frozen=True)
class AllowList:
    """The users the deployment admits: whole addresses, and whole domains."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    configured: bool = False
    malformed: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> AllowList:
        """The allow-list written in ``text`` (``None`` or blank: no list)."""
        entries = [entry for entry in _SEPARATORS.split(text or "") if entry]
        if not entries:
            return cls()
        emails, domains, malformed = set(), set(), []
        for entry in entries:
            lowered = entry.lower()
            if lowered.startswith("@") and _is_domain(lowered[1:]):
                domains.add(lowered[1:])
            elif _split_email(lowered) is not None:
                emails.add(lowered)
            else:
                malformed.append(entry)
        return cls(frozenset(emails), frozenset(domains), True, tuple(malformed))

    def admits(self, email: str) -> bool:
        """True when ``email`` is listed, or its domain is (the list must be configured)."""
        parts = _split_email(email.strip().lower())
        if parts is None:
            return False
        return email.strip().lower() in self.emails or parts[1] in self.domains


def _split_email(text: str) -> tuple[str, str] | None:
    """``(local part, domain)`` of a plain address, or None for anything else."""
    local, at, domain = text.partition("@")
    if not at or not local or not _is_domain(domain) or any(c.isspace() for c in local):
        return None
    return local, domain


def _is_domain(text: str) -> bool:
    return bool(text) and "@" not in text and not text.startswith(".") and not text.endswith(".")


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _verified(claims: Mapping[str, object]) -> tuple[bool | None, str | None]:
    """``email_verified``: None when absent, True only for a real ``true``, else False; and,
    for False, the claim as sent (JSON), for the refusal to quote."""
    if VERIFIED_CLAIM not in claims:
        return None, None
    value = claims[VERIFIED_CLAIM]
    if value is True:
        return True, None
    try:
        said = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):  # not JSON at all (a provider library's own object)
        said = type(value).__name__
    return False, said if len(said) <= _CLAIM_SHOWN else said[: _CLAIM_SHOWN - 1] + "…"
