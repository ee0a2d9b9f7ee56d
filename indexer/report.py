"""What an import did, file by file: imported (with what became of its id, and any warning),
skipped (with why), failed (with what is wrong); as text for the command and JSON for jobs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Outcome:
    path: str
    doc_id: str = ""
    reason: str = ""
    error: str = ""
    note: str = ""  # what became of its id: renumbered, a new version of …
    warning: str = ""  # imported, but not as it should be (schema messages, no rights stated)
    worker: str = ""  # the worker that read the file (in-process, or a Dask worker's name)
    ocr_seconds: float | None = None  # seconds of OCR its pages took, on whatever workers
    title_from: str = ""  # where a scan's title came from: the manifest, its PDF, page 1, its name


@dataclass
class Report:
    imported: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    checked: int = 0

    def as_json(self) -> dict:
        return {
            "imported": [{"path": o.path, "doc_id": o.doc_id, "note": o.note,
                          "warning": o.warning, **_work(o),
                          **({"title_from": o.title_from} if o.title_from else {})}
                         for o in self.imported],
            "skipped": [{"path": o.path, "doc_id": o.doc_id, "reason": o.reason, **_work(o)}
                        for o in self.skipped],
            "failed": [{"path": o.path, "error": o.error, **_work(o)} for o in self.failed],
        }

    @classmethod
    def from_json(cls, data: dict) -> Report:
        return cls(
            imported=[Outcome(o["path"], o["doc_id"], note=o.get("note", ""),
                              warning=o.get("warning", ""), worker=o.get("worker", ""),
                              ocr_seconds=o.get("ocr_seconds"),
                              title_from=o.get("title_from", ""))
                      for o in data.get("imported", [])],
            skipped=[Outcome(o["path"], o.get("doc_id", ""), o.get("reason", ""),
                             worker=o.get("worker", ""))
                     for o in data.get("skipped", [])],
            failed=[Outcome(o["path"], error=o.get("error", ""), worker=o.get("worker", ""))
                    for o in data.get("failed", [])],
        )

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def file_counts(self) -> tuple[int, int, int]:
        """(files imported, skipped, failed): a CSV file of many records counts once."""
        return (len({o.path for o in self.imported}), len(self.skipped), len(self.failed))


def _work(o: Outcome) -> dict:
    """Where a file was read, and the seconds its pages' OCR took (files of pages only)."""
    return {"worker": o.worker,
            **({"ocr_seconds": round(o.ocr_seconds, 2)} if o.ocr_seconds is not None else {})}


def report_text(report: Report) -> str:
    lines = [f"imported {len(report.imported)}, skipped {len(report.skipped)}, "
             f"failed {len(report.failed)}"]
    for o in report.imported:
        if o.note:
            lines.append(f"  imported {o.path} as {o.doc_id}: {o.note}")
        if o.title_from:
            lines.append(f"  title of {o.doc_id} from {o.title_from}")
        if o.warning:
            lines.append(f"  warning {o.path} ({o.doc_id}): {o.warning}")
    for o in report.skipped:
        lines.append(f"  skipped {o.path}: {o.reason}" + (f" ({o.doc_id})" if o.doc_id else ""))
    for o in report.failed:
        lines.append(f"  FAILED  {o.path}: {o.error}")
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


def warning_text(warnings: list[str], no_rights: str) -> str:
    """The report's one line of warnings for a file: schema messages first, then the rest."""
    if not warnings:
        return ""
    # rights words no statement could be named for (indexer.rights) say so themselves
    schema = [w for w in warnings if w != no_rights and not w.startswith("rights ")]
    parts = [w for w in warnings if w not in schema]
    if schema:
        parts.insert(0, f"not valid TEI P5 (tei_all 4.3.0), imported as given; "
                        f"{len(schema)} schema message(s), kept in the header: "
                        + "; ".join(schema[:3]) + ("; …" if len(schema) > 3 else ""))
    return "; ".join(parts)
