"""Notifications: one message to one target, and what the attempt taught (plain Python).

A *target* is a URL a person gives (``--notify``): an Apprise URL (``slack://…``,
``workflows://…`` for Teams, ``mailto://…``, ``json://host/path``…), sent by the ``apprise``
library, or ``webhook+https://…``, a JSON webhook signed by the ``standardwebhooks`` library
(Standard Webhooks: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``) with the
secret of ``A2E_NOTIFY_WEBHOOK_SECRET``. ``targets`` parses and names them (a target's
*label* hides every secret its URL holds: only labels are logged or stored for people);
``send`` delivers one ``Message`` and says whether it was ``Sent``, should be tried again
(``TryAgain``: network errors, 5xx, 429) or given up (``GiveUp``: any other 4xx, a refused
URL); ``schedule`` says when to try again. Nothing here retries or keeps state: the caller
(``a2e.watch``) persists every attempt. Imports ``a2e.core`` only.
"""
