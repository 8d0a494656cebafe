"""Deliver: e-mail digests of briefings over SMTP.

    digest.py     a composed Briefing + its rendered PDF -> one MIME message (HTML, text, PDF)
    smtp.py       the transport: TLS rules, login, one transaction per recipient, error kinds
    outbox.py     the delivery loop over the store's outbox: claims, retries with backoff, recovery

The deliver stage's job (``briefing.deliver.send.send_digest``) runs them in order: build the
digest once per briefing, enqueue one outbox row per recipient (idempotent on
briefing and recipient, with a Message-ID made once), then deliver.

The one strict check every address passes (settings, CLI, outbox) is
:mod:`briefing.config.addresses`: the settings depend on no stage.
"""
