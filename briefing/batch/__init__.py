"""Ingest at scale: read -> analyse (an executor) -> store, one transaction per article.

Files are read here, one at a time, only as fast as the executor takes work; the
analysis runs where the executor puts it (this process, worker processes, a Dask
cluster); every outcome is stored here, in its own transaction, as soon as it comes
back, so an interruption loses at most the articles still being analysed.

Analyses are cached by content and by what made them: an article whose content hash
is stored with an analysis of the current :func:`~briefing.nlp.analysis_key` is never
analysed again (a file dropped twice, a renamed file, an article twice in one batch),
and :func:`reanalyse_stale` redoes only those made by another analyser version or
other analysis settings.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from briefing.batch import inflight, pause_for_tests
from briefing.batch.executors import Executor, SerialExecutor, make_executor
from briefing.config import Settings
from briefing.ingest import Candidate, ItemError, ReadError, ReadLimits, printable, read_items, scan_folder
from briefing.ingest.identity import display_path, file_version
from briefing.model import Analysis, AnalysisFailure, Article, FileVersion
from briefing.nlp import AnalysisOptions, analysis_key
from briefing.store import STORE_ERRORS, Store

log = logging.getLogger(__name__)

_STORE_OR_FILE_ERRORS: tuple[type[BaseException], ...] = (*STORE_ERRORS, OSError)
"""Failures of the store or the disk: they stop the batch (and are retried by the caller), not one file."""

SMALL_BATCH = 24
"""Fewer articles than this are analysed in this process: starting worker processes costs more."""

REANALYSE_CHUNK = 64
"""Stale articles are read from the store this many at a time (memory stays flat)."""

Progress = Callable[[int, int], None]
"""Told ``(done, total)`` after every file or re-analysed article."""


class Failed(NamedTuple):
    """A file, an item of one or an article that could not be ingested, with the reason (recorded in the store)."""

    source: str
    reason: str


@dataclass
class IngestReport:
    """What one pass over the seeds folder did: each file or article ends stored (new or a duplicate),
    unchanged (skipped: stored or failed before at the same version), or failed with a reason."""

    new: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    unchanged: int = 0
    reanalysed: int = 0
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed


def analysis_options(settings: Settings) -> AnalysisOptions:
    return AnalysisOptions(
        key_points=settings.analysis.key_points,
        summarizer=settings.analysis.summarizer,
        actors=settings.analysis.actors,
    )


def read_limits(settings: Settings) -> ReadLimits:
    """How long and how much memory reading one file may take (each file is read in a limited child process)."""
    return ReadLimits(settings.read_timeout_seconds, settings.read_memory_mb)


def runs_here(spec: str, articles: int) -> bool:
    """The small-batch rule: a local run of fewer than :data:`SMALL_BATCH` analyses stays in this process.

    ``spec`` is the executor asked for (``analysis.executor``); a cluster is used as asked.
    """
    return spec == "processes" and articles < SMALL_BATCH


def choose_executor(settings: Settings, articles: int, workers: int | None = None, spec: str | None = None) -> Executor:
    """The executor for a run of about ``articles`` analyses: the configured one (or ``spec``), except
    that a small local run stays in this process (:func:`runs_here`)."""
    spec = spec or settings.analysis.executor
    if runs_here(spec, articles):
        return SerialExecutor()
    return make_executor(spec, workers or settings.analysis.workers)


def scan_pending(settings: Settings, store: Store) -> tuple[list[Candidate], list[Candidate]]:
    """The files in ``seeds/``, and those of them not yet stored or failed at their current version."""
    seen = store.seen_files()
    candidates = list(scan_folder(settings.seeds_path))
    pending = [c for c in candidates if seen.get(display_path(c.path, settings.base_dir)) != file_version(c)]
    return candidates, pending


def ingest_candidates(
    settings: Settings,
    store: Store,
    candidates: Iterable[Candidate],
    executor: Executor,
    report: IngestReport,
    *,
    now: dt.datetime | None = None,
    on_file_done: Callable[[Candidate], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> None:
    """read -> analyse -> store for each file; a bad file or article is recorded with its reason.

    ``on_file_done`` hears of each file once all its articles are stored or failed.
    ``should_stop`` is asked before each file: once it says yes, no file is started,
    and the articles already handed to the executor are still stored. Store and disk
    errors (``sqlite3.Error``, ``OSError``) and :class:`~briefing.batch.executors.ExecutorError`
    are not a file's fault: they propagate, and what is not stored is tried again later.
    """
    run = _IngestRun(settings, store, report, now, on_file_done, _Counter(total, progress))
    for article, outcome in executor.run(run.articles(candidates, should_stop), run.options):
        run.analysed(article, outcome)


@dataclass
class _File:
    """A file being ingested: done once each of its articles is stored (or failed)."""

    candidate: Candidate
    name: str
    version: FileVersion
    left: int = 0
    read: bool = False
    """Whether the file was read (it failed whole otherwise, and that failure is its record)."""
    stored: set[str] = field(default_factory=set)
    """The sources (``name`` or ``name#i``) stored so far."""


class _Counter:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


class _IngestRun:
    """One :func:`ingest_candidates` call: files read here and handed out, outcomes stored as they come back.

    An article whose content is already stored with a current analysis is stored at
    once (no analysis); one whose content is already on the executor waits as its
    twin and is stored with that outcome.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        report: IngestReport,
        now: dt.datetime | None,
        on_file_done: Callable[[Candidate], None] | None,
        counter: _Counter,
    ) -> None:
        self.settings, self.store, self.report = settings, store, report
        self.options = analysis_options(settings)
        self.key = analysis_key(self.options)
        self._now, self._on_file_done, self._counter = now, on_file_done, counter
        self._in_flight: dict[str, tuple[Article, _File]] = {}
        self._twins: dict[str, list[tuple[Article, _File]]] = {}

    def articles(self, candidates: Iterable[Candidate], should_stop: Callable[[], bool] | None) -> Iterator[Article]:
        """The articles to analyse, file by file, while the marker names the file (see :mod:`briefing.batch.inflight`)."""
        markers = inflight.marker_folder(self.settings.state_path)
        for candidate in candidates:
            if should_stop is not None and should_stop():
                self.report.stopped = True
                return
            file = _File(candidate, display_path(candidate.path, self.settings.base_dir), file_version(candidate))
            # The marker names the file while it is read and, in this process, analysed: if the
            # process dies on it, the next start knows which file (see briefing.batch.inflight).
            with inflight.working_on(markers, file.name, file.version.size, file.version.mtime_ns):
                articles = self._read(file)
                file.left = len(articles) + 1  # + 1: the file itself is done only once all are handed out
                for article in articles:
                    if article.id in self._in_flight:
                        self._twins.setdefault(article.id, []).append((article, file))
                    elif self.store.has_analysis(article.id, self.key):
                        self._save(article, None, file)
                    else:
                        self._in_flight[article.id] = (article, file)
                        yield article
            self._article_done(file)

    def analysed(self, returned: Article, outcome: Analysis | AnalysisFailure) -> None:
        """Store an article the executor gave back, and its twins (with no analysis, or the same failure)."""
        article, file = self._in_flight.pop(returned.id)
        self._save(article, outcome, file)
        for twin, twin_file in self._twins.pop(article.id, []):
            self._save(twin, outcome if isinstance(outcome, AnalysisFailure) else None, twin_file)

    def _read(self, file: _File) -> list[Article]:
        """The file's articles; it and each bad item of it are recorded as failed with their reasons."""
        settings = self.settings
        self.store.forget_failures(file.name)  # read again: what failed before (the file, or items) is decided anew
        try:
            items = read_items(
                file.candidate.path,
                max_bytes=settings.max_file_bytes,
                tz=settings.tz,
                source=file.name,
                within=settings.seeds_path,
                limits=read_limits(settings),
            )
        except ReadError as exc:
            self._fail(file.name, str(exc), file.version)
            return []
        except _STORE_OR_FILE_ERRORS:
            raise
        except Exception as exc:  # a bug on one odd file must not stop the others
            log.exception("%s: could not be read", file.name)
            reason = printable(f"the file could not be ingested ({type(exc).__name__}: {exc})")
            self._fail(file.name, reason, file.version)
            return []
        file.read = True
        articles = []
        for item in items:
            if isinstance(item, ItemError):  # one bad item of a JSON list costs only itself
                self._fail(item.source, item.reason, file.version)
            else:
                articles.append(item)
        return articles

    def _save(self, article: Article, outcome: Analysis | AnalysisFailure | None, file: _File) -> None:
        """Store one article's outcome in its own transaction (None: its analysis is already stored)."""
        if isinstance(outcome, AnalysisFailure):
            self._fail(article.source, outcome.reason, file.version)
        else:
            if self.store.save_article(article, outcome, self.key, file.version, self._stamp()):
                self.report.new.append(article.source)
            else:
                self.report.duplicates.append(article.source)
            file.stored.add(article.source)
            pause_for_tests.stored_one()
        self._article_done(file)

    def _fail(self, source: str, reason: str, version: FileVersion) -> None:
        log.warning("%s: %s", source, reason)
        self.store.record_failure(source, reason, version, self._stamp())
        self.report.failed.append(Failed(source, reason))

    def _article_done(self, file: _File) -> None:
        file.left -= 1
        if file.left == 0:
            if file.read:  # all its articles are stored: only now is the file done (a crash before: read again)
                self.store.finish_file(file.name, file.version.size, file.version.mtime_ns, file.stored, self._stamp())
            if self._on_file_done is not None:
                self._on_file_done(file.candidate)
            self._counter.step()

    def _stamp(self) -> dt.datetime:
        return self._now or dt.datetime.now(dt.UTC)


def prune_failures(settings: Settings, store: Store, scanned: list[Candidate]) -> set[str]:
    """Forget the failures of files no longer in ``seeds/`` (``scanned`` is all it holds); returns their names.

    What failed is shown until the file is fixed or removed, not forever. Nothing is
    forgotten while the seeds folder itself is missing (an unmounted share).
    """
    if not settings.seeds_path.is_dir():
        return set()
    folder = display_path(settings.seeds_path.resolve() / "_", settings.base_dir)[:-1]  # this service's files only
    gone = store.prune_failures({display_path(c.path, settings.base_dir) for c in scanned}, under=folder)
    if gone:
        log.info("forgot the failures of %d file(s) no longer in %s", len(gone), settings.seeds_path)
    return gone


def record_crashes(settings: Settings, store: Store, now: dt.datetime | None = None) -> list[Failed]:
    """Record as failed the files earlier processes died on twice (they left their markers), so they are not read again.

    A file a process died on once is read once more (the process may have been killed
    from outside), and again as long as each death finds more of its articles stored
    (a long JSON list, killed from outside more than once). Returns the files recorded, as ``(name, reason)``.
    """
    crashed = []
    folder = inflight.marker_folder(settings.state_path)
    for orphan in inflight.orphans(folder):
        version = FileVersion(orphan.size, orphan.mtime_ns)
        if inflight.died_before(folder, orphan, store.stored_items(orphan.path, orphan.size, orphan.mtime_ns)):
            log.error("%s: %s; recorded as failed", orphan.path, inflight.CRASHED)
            store.record_failure(orphan.path, inflight.CRASHED, version, now or dt.datetime.now(dt.UTC))
            crashed.append(Failed(orphan.path, inflight.CRASHED))
        else:
            log.warning("%s: the last process died while on this file; reading it once more", orphan.path)
        inflight.forget(orphan)
    return crashed


def reanalyse_stale(
    settings: Settings,
    store: Store,
    executor: Executor,
    report: IngestReport,
    *,
    ids: list[str] | None = None,
    now: dt.datetime | None = None,
    should_stop: Callable[[], bool] | None = None,
    progress: Progress | None = None,
    done: int = 0,
    total: int = 0,
) -> None:
    """Analyse again the stored articles whose analysis another analyser version or other settings made.

    Each new analysis replaces the old one in its own transaction; until then the old
    one is still used, so briefings never lose an article while this runs.
    """
    options = analysis_options(settings)
    key = analysis_key(options)
    ids = store.stale_article_ids(key) if ids is None else ids
    counter = _Counter(total or done + len(ids), progress)
    counter.done = done

    def stale() -> Iterator[Article]:
        for start in range(0, len(ids), REANALYSE_CHUNK):
            if should_stop is not None and should_stop():
                report.stopped = True
                return
            yield from store.articles_by_id(ids[start : start + REANALYSE_CHUNK])

    for article, outcome in executor.run(stale(), options):
        if isinstance(outcome, AnalysisFailure):
            log.warning("%s: analysing again failed (the older analysis is kept): %s", article.source, outcome.reason)
            report.failed.append(Failed(article.source, f"analysing again failed: {outcome.reason}"))
        else:
            store.save_analysis(article.id, outcome, key, now or dt.datetime.now(dt.UTC))
            report.reanalysed += 1
        counter.step()
