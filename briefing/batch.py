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
from pathlib import Path

from briefing import inflight, pause_for_tests
from briefing.config import Settings
from briefing.executors import Executor, SerialExecutor, make_executor
from briefing.ingest import Candidate, ItemError, ReadError, ReadLimits, printable, read_items
from briefing.model import Article
from briefing.nlp import AnalysisOptions, analysis_key
from briefing.store import STORE_ERRORS, FileVersion, Store

log = logging.getLogger(__name__)

SMALL_BATCH = 24
"""Fewer articles than this are analysed in this process: starting worker processes costs more."""

REANALYSE_CHUNK = 64
"""Stale articles are read from the store this many at a time (memory stays flat)."""

Progress = Callable[[int, int], None]
"""Told ``(done, total)`` after every file or re-analysed article."""


@dataclass
class IngestReport:
    """What one pass over the seeds folder did."""

    new: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
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


def display_path(path: Path, base_dir: Path) -> str:
    """How a file is named in the store and in reports: relative to the project when inside it.

    A symbolic link is named as itself, not as the file it leads to; bytes of the
    name that are not UTF-8 are shown escaped (``b\\xffad.txt``).
    """
    located = path.parent.resolve() / path.name
    try:
        return printable(located.relative_to(base_dir.resolve()).as_posix())
    except ValueError:
        return printable(str(located))


def choose_executor(settings: Settings, articles: int, workers: int | None = None, spec: str | None = None) -> Executor:
    """The executor for a run of about ``articles`` analyses: the configured one (or ``spec``), except
    that a small local run stays in this process."""
    spec = spec or settings.analysis.executor
    if spec == "processes" and articles < SMALL_BATCH:
        return SerialExecutor()
    return make_executor(spec, workers or settings.analysis.workers)


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
    errors (``sqlite3.Error``, ``OSError``) and :class:`~briefing.executors.ExecutorError`
    are not a file's fault: they propagate, and what is not stored is tried again later.
    """
    options = analysis_options(settings)
    key = analysis_key(options)
    counter = _Counter(total, progress)
    in_flight: dict[str, tuple[Article, _File]] = {}
    twins: dict[str, list[tuple[Article, _File]]] = {}  # same content as an article in flight

    def article_done(file: _File) -> None:
        file.left -= 1
        if file.left == 0:
            if file.read:  # all its articles are stored: only now is the file done (a crash before: read again)
                store.finish_file(file.name, file.version.size, file.version.mtime_ns, file.stored, stamp_now())
            if on_file_done is not None:
                on_file_done(file.candidate)
            counter.step()

    def stamp_now() -> dt.datetime:
        return now or dt.datetime.now(dt.UTC)

    def save(article: Article, analysis: object, file: _File) -> None:
        stamp = stamp_now()
        if isinstance(analysis, str):
            log.warning("%s: %s", article.source, analysis)
            store.record_failure(article.source, analysis, file.version, stamp)
            report.failed.append((article.source, analysis))
        else:
            if store.save_article(article, analysis, key, file.version, stamp):  # type: ignore[arg-type]
                report.new.append(article.source)
            else:
                report.duplicates.append(article.source)
            file.stored.add(article.source)
            pause_for_tests.stored_one()
        article_done(file)

    def failed(name: str, reason: str, version: FileVersion) -> None:
        log.warning("%s: %s", name, reason)
        store.record_failure(name, reason, version, now or dt.datetime.now(dt.UTC))
        report.failed.append((name, reason))

    def read(file: _File) -> list[Article]:
        """The file's articles; it and each bad item of it are recorded as failed with their reasons."""
        store.forget_failures(file.name)  # read again: what failed before (the file, or items of it) is decided anew
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
            failed(file.name, str(exc), file.version)
            return []
        except (*STORE_ERRORS, OSError):
            raise
        except Exception as exc:  # a bug on one odd file must not stop the others
            log.exception("%s: could not be read", file.name)
            failed(file.name, printable(f"the file could not be ingested ({type(exc).__name__}: {exc})"), file.version)
            return []
        file.read = True
        articles = []
        for item in items:
            if isinstance(item, ItemError):  # one bad item of a JSON list costs only itself
                failed(item.source, item.reason, file.version)
            else:
                articles.append(item)
        return articles

    def to_analyse() -> Iterator[Article]:
        markers = inflight.marker_folder(settings.state_path)
        for candidate in candidates:
            if should_stop is not None and should_stop():
                report.stopped = True
                return
            file = _File(candidate, display_path(candidate.path, settings.base_dir), file_version(candidate))
            # The marker names the file while it is read and, in this process, analysed: if the
            # process dies on it, the next start knows which file (see briefing.inflight).
            with inflight.working_on(markers, file.name, file.version.size, file.version.mtime_ns):
                articles = read(file)
                file.left = len(articles) + 1  # + 1: the file itself is done only once all are handed out
                for article in articles:
                    if article.id in in_flight:
                        twins.setdefault(article.id, []).append((article, file))
                    elif store.has_analysis(article.id, key):
                        save(article, None, file)
                    else:
                        in_flight[article.id] = (article, file)
                        yield article
            article_done(file)

    for returned, outcome in executor.run(to_analyse(), options):
        article, file = in_flight.pop(returned.id)
        save(article, outcome, file)
        for twin, twin_file in twins.pop(article.id, []):
            save(twin, outcome if isinstance(outcome, str) else None, twin_file)


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


def record_crashes(settings: Settings, store: Store, now: dt.datetime | None = None) -> list[tuple[str, str]]:
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
            crashed.append((orphan.path, inflight.CRASHED))
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
        if isinstance(outcome, str):
            log.warning("%s: analysing again failed (the older analysis is kept): %s", article.source, outcome)
            report.failed.append((article.source, f"analysing again failed: {outcome}"))
        else:
            store.save_analysis(article.id, outcome, key, now or dt.datetime.now(dt.UTC))
            report.reanalysed += 1
        counter.step()


def file_version(candidate: Candidate) -> FileVersion:
    """The version of a found file the store compares with, to tell whether it changed."""
    return FileVersion(candidate.size, candidate.mtime_ns)
