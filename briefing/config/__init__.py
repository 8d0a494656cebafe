"""Typed settings: ``briefing.toml`` overlaid with ``BRIEFING_*`` environment variables.

Every option is declared once, with its type, default and a docstring (the
docstring is the option's help text). Loading collects every problem (unknown
keys, bad values, from the file and from the environment) and reports them in one
:class:`ConfigError`, so a user fixes a config in one pass.

Environment variables name an option by its path in upper case, sections joined
by a double underscore: ``BRIEFING_REPORTS_DIR``, ``BRIEFING_ANALYSIS__KEY_POINTS``.

This package is the config API; its parts are the sections (:mod:`.sections`), the
root :class:`Settings` (:mod:`.settings`) and the loading (:mod:`.loading`).
"""

from briefing.config.loading import CONFIG_ENV, DEFAULT_CONFIG_NAME, ENV_PREFIX, ConfigError, load_settings
from briefing.config.sections import (
    DEFAULT_PASSWORD_ENV,
    AnalysisSettings,
    EmailSettings,
    ReportSettings,
    ScheduleSettings,
    ServeSettings,
    ServiceSettings,
    SmtpSecurity,
    SummarizerName,
)
from briefing.config.settings import Settings, option_docs
from briefing.config.sources import ADMIRALTY, SourceSettings

__all__ = [
    "ADMIRALTY",
    "CONFIG_ENV",
    "DEFAULT_CONFIG_NAME",
    "DEFAULT_PASSWORD_ENV",
    "ENV_PREFIX",
    "AnalysisSettings",
    "ConfigError",
    "EmailSettings",
    "ReportSettings",
    "ScheduleSettings",
    "ServeSettings",
    "ServiceSettings",
    "Settings",
    "SmtpSecurity",
    "SourceSettings",
    "SummarizerName",
    "load_settings",
    "option_docs",
]
