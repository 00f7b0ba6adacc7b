"""Delivering one message to one target, once: what the attempt taught, never an exception.

A webhook target gets the message's JSON ``payload`` (``{"type": …, "message_id": …, …}``),
POSTed with httpx and signed with ``standardwebhooks`` at the moment of sending (the
``webhook-id`` is the message's id, the same on every attempt; the timestamp is the attempt's,
so a receiver's five-minute tolerance holds for retries too). An Apprise target gets the
title and plain-text body through the ``apprise`` library; its HTTP status is read from
Apprise's own report of the attempt (``error=NNN``), and a failure it does not explain counts
as worth another try. The secret and the URL never appear in a reason.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import apprise
import httpx
from standardwebhooks.webhooks import Webhook

from a2e.api.retries import retry_after_seconds
from a2e.notify.message import Attempt, GiveUp, Message, Sent, Tone, TryAgain, http_attempt
from a2e.notify.targets import Target

SEND_TIMEOUT_SECONDS = 10.0
USER_AGENT = "a2e-watch/1.0"
_APPRISE_STATUS = re.compile(r"error=([0-9]{3})\b")
_APPRISE_TYPES = {
    Tone.INFO: apprise.NotifyType.INFO,
    Tone.SUCCESS: apprise.NotifyType.SUCCESS,
    Tone.WARNING: apprise.NotifyType.WARNING,
    Tone.FAILURE: apprise.NotifyType.FAILURE,
}


class MissingSecret(ValueError):
    """A webhook target without a usable ``A2E_NOTIFY_WEBHOOK_SECRET``."""


def signer(secret: str | None) -> Webhook | None:
    """The Standard Webhooks signer of ``A2E_NOTIFY_WEBHOOK_SECRET``; None when unset.

    Raises ``MissingSecret`` (never echoing it) when the secret is not ``whsec_`` + base64.
    """
    if not secret or not secret.strip():
        return None
    cleaned = secret.strip()
    try:
        if not cleaned.startswith("whsec_"):
            raise ValueError
        return Webhook(cleaned)
    except Exception:
        raise MissingSecret("the webhook secret must be whsec_ followed by base64") from None


def send(target: Target, message: Message, webhook_signer: Webhook | None) -> Attempt:
    """Try once to deliver ``message`` to ``target``."""
    if target.kind == "webhook":
        if webhook_signer is None:
            return GiveUp("no webhook secret (set A2E_NOTIFY_WEBHOOK_SECRET)")
        return _send_webhook(target, message, webhook_signer)
    return _send_apprise(target, message)


def signed_headers(message_id: str, body: bytes, webhook_signer: Webhook) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt, signed now."""
    now = datetime.now(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": webhook_signer.sign(message_id, now, body),
    }


def _send_webhook(target: Target, message: Message, webhook_signer: Webhook) -> Attempt:
    body = json.dumps(message.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = signed_headers(message.message_id, body, webhook_signer)
    headers |= {"content-type": "application/json", "user-agent": USER_AGENT}
    try:
        response = httpx.post(
            target.url,
            content=body,
            headers=headers,
            timeout=SEND_TIMEOUT_SECONDS,
            follow_redirects=False,
            trust_env=False,
        )
    except httpx.TimeoutException:
        return TryAgain("timed out")
    except httpx.HTTPError:
        return TryAgain("could not connect")
    return http_attempt(
        response.status_code, retry_after_seconds(response.headers.get("Retry-After"))
    )


def _send_apprise(target: Target, message: Message) -> Attempt:
    notifier = apprise.Apprise()
    if not notifier.add(target.url):
        return GiveUp("Apprise could not load this URL")
    result = notifier.notify(
        body=message.body,
        title=message.title,
        notify_type=_APPRISE_TYPES[message.tone],
        body_format=apprise.NotifyFormat.TEXT,
    )
    if result:
        return Sent()
    if result.status == apprise.AppriseResultStatus.TIMEOUT:
        return TryAgain("timed out")
    statuses = [int(m[1]) for e in result.logs() if (m := _APPRISE_STATUS.search(e.message))]
    return http_attempt(statuses[-1]) if statuses else TryAgain("not delivered (no HTTP status)")
