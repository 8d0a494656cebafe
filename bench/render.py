"""Render speed: one briefing of N articles (200 by default) to HTML and PDF.

    .venv/bin/python -m bench.render CORPUS_PATH [--articles 200] [--repeat 3] [--no-extras] [--keep DIR]

CORPUS_PATH is a CNN/DailyMail-style JSON Lines file (``{"id", "article"}`` per
line, e.g. ``../shared/eval/cnndm/dev.jsonl``) or a folder of article files read
with briefing's own readers (e.g. ``../shared/eval/bbc-summary/articles``).
The articles are analysed and composed once (reported, not part of the render
budget), then the briefing is rendered ``--repeat`` times, measuring

- ``html``: the view, the charts and the Jinja2 templates (in this process);
- ``html+pdf``: :func:`briefing.render.render_briefing`, everything a user waits
  for: the HTML, the PDF in its limited child process (kept warm between renders;
  the first render, which starts it, is shown apart) and the atomic writes of the
  dated files and ``latest.*``; once as a plain PDF (``report.pdf_variant = "none"``)
  and once as the default PDF/A-3b with the analysis attached;
- ``weasyprint alone``: ``weasyprint.HTML(string=html).write_pdf()`` on the same
  HTML in this process (plain, and as PDF/A-3b with the same attachment through
  :func:`briefing.render.pdf.html_to_pdf`), and the ``weasyprint`` command on the
  same HTML file in a fresh process (start-up included): the floor the PDF cannot beat.

Wall time and CPU time (this process plus finished children) are both shown,
since the machine may be shared. Unless ``--no-extras``, the briefing gets
generated actors, events and relations sized like a real one (see
:func:`bench.sample.with_extras`), so the charts and tables are measured too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path

from bench.sample import read_folder, stored_articles, with_extras
from briefing.compose import compose
from briefing.config import ReportSettings
from briefing.ingest import content_id, derive_title, normalise_text
from briefing.model import Article, Briefing, Period

BUDGET_SECONDS = 10.0
LONDON = zoneinfo.ZoneInfo("Europe/London")
BRIEFING_AT = dt.datetime(2022, 2, 21, 7, 0, tzinfo=LONDON)


def load_articles(path: Path, count: int) -> list[Article]:
    """The first ``count`` articles of a JSON Lines file or a folder, dated over the week before the briefing."""
    if path.is_dir():
        articles = read_folder(path)[0][:count]
    else:
        articles = []
        with path.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if len(articles) >= count:
                    break
                record = json.loads(line)
                text = normalise_text(record.get("article") or record.get("text") or "")
                if text:
                    articles.append(
                        Article(content_id(text), f"{path.name}:{n + 1}", derive_title(text), BRIEFING_AT.date(), text)
                    )
    return [
        Article(a.id, a.source, a.title, BRIEFING_AT.date() - dt.timedelta(days=n % 7), a.text, url=a.url)
        for n, a in enumerate(articles)
    ]


def cpu_seconds() -> float:
    """CPU time of this process, its finished children and the live warm PDF renderer child."""
    from briefing.render.sandbox import warm_renderer

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + _process_cpu(warm_renderer().pid)


def _process_cpu(pid: int | None) -> float:
    """User and system CPU seconds of a live process, from /proc (0 when there is none)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(run: Callable[[], object], repeat: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), cpu_seconds()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return walls, cpus, result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.render", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a JSON Lines file or a folder of articles")
    parser.add_argument("--articles", type=int, default=200, help="articles in the briefing (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="renders measured (default 3)")
    parser.add_argument("--no-extras", action="store_true", help="no generated actors, events and relations")
    parser.add_argument("--keep", type=Path, help="copy the last briefing's HTML and PDF into this folder")
    args = parser.parse_args(argv)

    from pypdf import PdfReader
    from weasyprint import HTML

    from briefing.contract import article_record
    from briefing.render import render_briefing, render_html
    from briefing.render.archive import analysis_attachment
    from briefing.render.pdf import html_to_pdf
    from briefing.render.pdf_types import PdfOptions
    from briefing.render.templating import bundled_templates_dir

    articles = load_articles(args.corpus, args.articles)
    if not articles:
        print(f"no articles found in {args.corpus}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    stored = stored_articles(articles, BRIEFING_AT - dt.timedelta(hours=1))
    analysed = time.perf_counter() - start
    briefing: Briefing = compose(stored, [], Period(BRIEFING_AT - dt.timedelta(days=7), BRIEFING_AT), BRIEFING_AT)
    if not args.no_extras:
        briefing = with_extras(briefing, articles)
    settings = ReportSettings()  # pdf/a-3b, the default
    plain = ReportSettings(pdf_variant="none")
    analyses = [article_record(s.article, s.analysis) for s in stored]

    html_walls, html_cpus, rendered_html = measure(lambda: render_html(briefing, settings=settings)[0], args.repeat)
    html = str(rendered_html)
    with tempfile.TemporaryDirectory(prefix="bench-render-") as folder:
        reports = Path(folder)
        cold_walls, cold_cpus, _ = measure(lambda: render_briefing(briefing, reports, settings=plain), 1)
        plain_walls, plain_cpus, _ = measure(lambda: render_briefing(briefing, reports, settings=plain), args.repeat)
        full_walls, full_cpus, rendered = measure(
            lambda: render_briefing(briefing, reports, settings=settings, analyses=analyses), args.repeat
        )
        if rendered.errors:  # type: ignore[attr-defined]
            print(f"rendering failed: {rendered.errors}", file=sys.stderr)  # type: ignore[attr-defined]
            return 1
        pdf_path = rendered.pdf_path  # type: ignore[attr-defined]
        pages = len(PdfReader(BytesIO(pdf_path.read_bytes())).pages)
        pdf_kib = pdf_path.stat().st_size // 1024
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(rendered.html_path, args.keep / "briefing.html")  # type: ignore[attr-defined]
            shutil.copy(pdf_path, args.keep / "briefing.pdf")
    base_url = bundled_templates_dir().as_uri() + "/"
    alone_walls, alone_cpus, _ = measure(lambda: HTML(string=html, base_url=base_url).write_pdf(), args.repeat)
    archival = PdfOptions("pdf/a-3b", (analysis_attachment(briefing, analyses),))
    folders = [bundled_templates_dir()]
    alone_a_walls, alone_a_cpus, _ = measure(lambda: html_to_pdf(html, folders, archival), args.repeat)
    with tempfile.TemporaryDirectory(prefix="bench-weasyprint-") as folder:
        page, out = Path(folder) / "page.html", Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [sys.executable, "-m", "weasyprint", "--quiet", "--base-url", base_url, str(page), str(out)]
        cli_walls, cli_cpus, _ = measure(lambda: subprocess.run(command, check=True), args.repeat)

    print(f"corpus: {args.corpus}  articles: {len(articles)}  stories: {len(briefing.stories)}")
    print(
        f"events: {len(briefing.calendar)}  actors: {len(briefing.actors)}  relations: {len(briefing.relations)}"
        f"  (generated extras: {'no' if args.no_extras else 'yes'})"
    )
    print(
        f"analysis and compose, once: {analysed:.1f} s;  HTML {len(html) // 1024} KiB;  PDF {pages} pages, {pdf_kib} KiB"
    )
    print(f"median of {args.repeat} runs (min in brackets):\n")
    print("| step | wall s | CPU s |")
    print("|---|---|---|")
    for name, walls, cpus in (
        ("html (view, charts, templates)", html_walls, html_cpus),
        ("first html+pdf, plain (starts the renderer child)", cold_walls, cold_cpus),
        ("html+pdf, plain (render_briefing, warm limited child)", plain_walls, plain_cpus),
        ("html+pdf, PDF/A-3b + analysis attached (the default)", full_walls, full_cpus),
        ("weasyprint alone on the same HTML, in process, plain", alone_walls, alone_cpus),
        ("weasyprint alone on the same HTML, in process, PDF/A-3b + attachment", alone_a_walls, alone_a_cpus),
        ("weasyprint command on the same HTML (fresh process)", cli_walls, cli_cpus),
    ):
        print(
            f"| {name} | {statistics.median(walls):.2f} ({min(walls):.2f}) | {statistics.median(cpus):.2f} ({min(cpus):.2f}) |"
        )
    total = statistics.median(full_walls)
    med = statistics.median
    print(
        f"\nPDF/A-3b beside plain (html+pdf): {total / med(plain_walls):.2f}x (at most 1.3x);"
        f" html+pdf beside weasyprint alone in process: PDF/A-3b {total / med(alone_a_walls):.2f}x,"
        f" plain {med(plain_walls) / med(alone_walls):.2f}x (at most 1.2x)"
    )
    verdict = "within" if total <= BUDGET_SECONDS else "OVER"
    print(
        f"\nhtml+pdf {total:.2f} s: {verdict} the {BUDGET_SECONDS:g} s budget;"
        f" beside the weasyprint command: wall {total - statistics.median(cli_walls):+.2f} s,"
        f" CPU {statistics.median(full_cpus) - statistics.median(cli_cpus):+.2f} s"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if total <= BUDGET_SECONDS else 2


if __name__ == "__main__":
    sys.exit(main())
