"""``briefing migrate --from --to``: one store copied into another, each table counted and checksummed on both sides.

Either side may be SQLite (``sqlite:///path/state.db``, or a plain path) or PostgreSQL
(``postgresql://...``); both are opened as stores first, so both have the current
schema. Rows are copied table by table in the order their references need, in one
transaction on the target, which must be empty. Each table's checksum is a SHA-256
over its rows in key order, every value in one canonical form (bytes as hex), so a
table that came through whole has the same checksum on both sides. The PostgreSQL
calendar's ``events`` rows are derived from the analyses as they are copied.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.contract import analysis_from_record
from briefing.store import Store
from briefing.store.core import StoreRefused

TABLES: tuple[tuple[str, str], ...] = (
    ("articles", "id"),
    ("sources", "path"),
    ("analyses", "article_id"),
    ("failures", "path"),
    ("briefings", "id"),
    ("digests", "briefing_id"),
    ("outbox", "id"),
    ("runs", "id"),
    ("files", "path"),
    ("superseded", "article_id"),
    ("schedules", "name"),
)
"""Every table of the store with its key, in an order that copies what a row refers to before the row."""

COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(columns.split())
    for table, columns in {
        "articles": "id title date date_inferred url text meta first_seen",
        "sources": "path article_id size mtime_ns seen_at",
        "analyses": "article_id version data created_at",
        "failures": "path reason size mtime_ns failed_at",
        "briefings": "id created_at schedule period_start period_end articles html_path pdf_path error basis made_at"
        " bottom_line",
        "digests": "briefing_id subject message note nothing_new created_at",
        "outbox": "id briefing_id recipient message_id status attempts next_attempt_at claimed_by lease_until"
        " last_code last_error maybe_delivered created_at updated_at sent_at",
        "runs": "id job started_at finished_at status items detail",
        "files": "path size mtime_ns articles done_at",
        "superseded": "article_id path replaced_by superseded_at",
        "schedules": "name started_at",
    }.items()
}
"""The columns both backends' schemas have, by table (named, so that their order in each schema does not matter)."""

BATCH = 500


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table as copied: rows and checksum on each side."""

    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def same(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum


def open_url(url: str) -> Store:
    """The store at ``url``: ``postgresql://`` (or ``postgres://``), ``sqlite:///path`` or a plain path."""
    if url.startswith(("postgresql://", "postgres://")):
        from briefing.store.postgres import PostgresStore

        return PostgresStore(url)
    path = url.removeprefix("sqlite://") if url.startswith("sqlite://") else url
    if not path:
        raise StoreRefused(f"no file in {url!r}; write sqlite:///path/to/state.db")
    return Store(Path(path))


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, bool):
        return int(value)
    return value


def _rows(store: Store, table: str) -> list[tuple[Any, ...]]:
    columns = COLUMNS[table]
    key = columns.index(dict(TABLES)[table])
    rows = [tuple(_canonical(v) for v in row) for row in store._db.execute(f"SELECT {', '.join(columns)} FROM {table}")]
    rows.sort(key=lambda row: row[key])  # in Python: the two databases need not sort text alike
    return rows


def checksum(rows: list[tuple[Any, ...]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False, allow_nan=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def table_checksum(store: Store, table: str) -> tuple[int, str]:
    """How many rows ``table`` has in ``store`` and their checksum."""
    rows = _rows(store, table)
    return len(rows), checksum(rows)


def copy_store(source: Store, target: Store) -> list[TableCopy]:
    """Copy every row of ``source`` into the empty ``target`` (one transaction), then compare each table."""
    filled = [table for table, _ in TABLES if target._db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()]
    if filled:
        raise StoreRefused(
            f"the target store {target.location} is not empty ({', '.join(filled)}); copy into a new one"
        )
    copied: dict[str, list[tuple[Any, ...]]] = {}
    with target.transaction() as db:
        for table, _key in TABLES:
            columns = COLUMNS[table]
            rows = copied[table] = _rows(source, table)
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                if table == "digests":  # the message is binary on both sides
                    batch = [(*r[:2], bytes.fromhex(r[2]), *r[3:]) for r in batch]
                db.executemany(insert, batch)
            if table == "articles":
                for row in rows:
                    target._article_inserted(db, row[0])
            if table == "analyses":
                for article_id, _version, data, _created in rows:
                    record = _analysis_json(data)
                    target._analysis_saved(db, article_id, analysis_from_record(article_id, record), record)
        target.ids_copied(db)
    report = []
    for table, _key in TABLES:
        rows = copied[table]
        count, sum_after = table_checksum(target, table)
        report.append(TableCopy(table, len(rows), count, checksum(rows), sum_after))
    return report


def _analysis_json(data: str) -> dict[str, Any]:
    try:
        record = json.loads(data)
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}
