"""The SQLite store: one mixin per record module on SQLite's core (:mod:`briefing.store.core`)."""

from __future__ import annotations

from briefing.store.articles import ArticlesMixin
from briefing.store.briefings import BriefingsMixin
from briefing.store.core import SqliteCore
from briefing.store.files import FilesMixin
from briefing.store.mail import MailMixin
from briefing.store.runs import RunsMixin


class Store(ArticlesMixin, FilesMixin, BriefingsMixin, RunsMixin, MailMixin, SqliteCore):
    """Access to the store (the state file; see :class:`~briefing.store.postgres.PostgresStore` for the other).

    One instance per thread; open as a context manager. The record mixins hold the
    SQL both backends share; the backend below them (:class:`StoreCore`) the rest.
    """
