"""briefing: turns a folder of news articles into dated intelligence briefings."""

__version__ = "0.1.0"
