"""The alert jobs: newly stored articles -> watchlist matches -> alerts in the outbox -> delivered.

    raise_alerts:   articles not yet checked -> match each watchlist -> one alert per article and watchlist,
                    stored with its outbox rows (an e-mail per recipient, a POST for the webhook) in the
                    transaction that marks the article checked
    deliver_alerts: the alerts' due outbox rows: webhooks POSTed, e-mails sent over SMTP, retried with the
                    outbox's backoff (``email.max_attempts``, ``retry_delay``, ``retry_max_delay``)

The service runs both within moments of an article being stored (:mod:`briefing.service.alerts`).
Exactly once per article and watchlist: the alert is unique on both, its rows are
claimed before sending and marked after (a row claimed by a process that died is
sent by the next run; one caught mid-send is never sent again).
"""

from __future__ import annotations

import datetime as dt
import logging

from briefing.config import Settings
from briefing.deliver.outbox import RunStats, deliver
from briefing.deliver.send import DeliveryConfigError, retry_policy, smtp_config
from briefing.deliver.smtp import SmtpConnection
from briefing.store import NewAlert, open_store
from briefing.watchlists import from_settings, matchers
from briefing.watchlists.alert import AlertOptions, build_alert, new_delivery_id, new_message_id
from briefing.watchlists.webhook import WebhookConnection

log = logging.getLogger(__name__)

SCAN_MARGIN = dt.timedelta(hours=1)
"""Articles stored up to this long before the last check are looked at again (only those not yet checked):
a transaction that committed late, with an earlier timestamp, is not missed."""
SCAN_BATCH = 500


def raise_alerts(settings: Settings, now: dt.datetime | None = None) -> int:
    """Check every newly stored article against the watchlists; returns how many alerts were queued.

    Articles stored before watchlists were first checked raise none (the archive is
    not alerted on); an article and watchlist alerted once are never alerted again.
    """
    watching = matchers(from_settings(settings.watchlists))
    if not watching:
        return 0
    started = now or dt.datetime.now(dt.UTC)
    options = AlertOptions(
        sender=settings.email.sender,
        sender_name=settings.email.sender_name,
        subject_prefix=settings.email.subject_prefix,
        templates_dir=settings.templates_path,
    )
    created = 0
    with open_store(settings) as store:
        first, checked_until = store.alerts_checked_until(started)
        since = max(first, checked_until - SCAN_MARGIN)
        while batch := store.unchecked_articles(since, SCAN_BATCH):
            alerts = []
            for stored in batch:
                for matcher in watching:
                    match = matcher.article(stored)
                    if not match:
                        continue
                    watchlist = matcher.watchlist
                    content = build_alert(stored, match, options, started)
                    alerts.append(
                        NewAlert(
                            article_id=stored.article.id,
                            watchlist=watchlist.name,
                            subject=content.subject,
                            message=content.message,
                            payload=content.payload,
                            emails=tuple((r, new_message_id(settings.email.sender)) for r in watchlist.recipients),
                            webhook=(watchlist.webhook, new_delivery_id()) if watchlist.webhook else None,
                        )
                    )
            new = store.record_alerts([s.article.id for s in batch], alerts, None, started)
            created += len(new)
            for alert in alerts:
                log.info("watchlist %s: %s matches", alert.watchlist, alert.subject)
        store.record_alerts([], [], started, started)
    return created


def deliver_alerts(settings: Settings) -> RunStats:
    """Send the alerts' due rows: webhooks first (they need no settings beyond their URL), then e-mails."""
    policy = retry_policy(settings)
    sender = settings.email.sender
    timeout = settings.email.timeout
    with open_store(settings) as store:
        stats = deliver(store, lambda: WebhookConnection(timeout), sender, policy, channel="webhook", alerts_only=True)
        due = store.outbox_due("email", alerts_only=True)
        if due is None or due > dt.datetime.now(dt.UTC):
            return stats
        try:
            smtp = smtp_config(settings)
        except DeliveryConfigError as exc:
            log.error("watchlist alerts cannot be e-mailed: %s", exc)
            return stats
        mail = deliver(store, lambda: SmtpConnection(smtp), sender, policy, alerts_only=True)
    return RunStats(stats.sent + mail.sent, stats.failed + mail.failed, stats.deferred + mail.deferred)
