"""The words of the run email: subject, plain-text body and HTML alternative of a run report.

Every function reads the report dict that ``reelscale run`` produces and tolerates missing keys
(a failed run's report has no collections). Nothing here knows about SMTP or settings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

MAX_EXAMPLES = 3
_TOKEN_KINDS = ("input", "output", "cache_read", "cache_write")
REFUSED_HEAD = "Refused by Claude ({n}; they keep their tags and are asked again next run):"
_COLUMNS = ("Collection", "Members", "Added", "Removed", "Deferred", "Cost")


def totals(report: dict) -> tuple[int, int, int]:
    """(movies added, movies removed, collections changed) over the report's collections."""
    collections = report.get("collections") or []
    added = sum(int(c.get("added") or 0) for c in collections)
    removed = sum(int(c.get("removed") or 0) for c in collections)
    changed = sum(1 for c in collections if c.get("added") or c.get("removed"))
    return added, removed, changed


def error_count(report: dict) -> int:
    return sum(int(e.get("count") or 1) for e in report.get("errors") or [])


def subject(report: dict) -> str:
    """``reelscale: +12 -3 in 4 collections, 2 errors`` and its variants."""
    added, removed, changed = totals(report)
    status = report.get("status", "ok")
    head = "reelscale (dry run)" if report.get("dry_run") else "reelscale"
    if status == "failed":
        text = "run failed"
    elif added or removed:
        text = f"+{added} -{removed} in {_plural(changed, 'collection')}"
    else:
        text = f"no changes in {_plural(len(report.get('collections') or []), 'collection')}"
    if status == "stopped":
        text += ", stopped early"
    errors = error_count(report)
    if errors:
        text += f", {_plural(errors, 'error')}"
    return f"{head}: {text}"


def text_body(report: dict, next_run: datetime | None) -> str:
    lines = [subject(report), ""]
    rows = _collection_rows(report)
    if rows:
        widths = [max(len(r[i]) for r in (_COLUMNS, *rows)) for i in range(len(_COLUMNS))]
        for row in (_COLUMNS, *rows):
            pairs = zip(row[1:], widths[1:], strict=True)
            cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in pairs]
            lines.append("  ".join(cells).rstrip())
        lines.append("")
    errors = report.get("errors") or []
    if errors:
        lines.append(f"Errors ({error_count(report)}):")
        for error in errors:
            lines.append(f"  {int(error.get('count') or 1)} x {error.get('cause', 'unknown')}")
            lines.extend(f"      e.g. {ex}" for ex in _examples(error))
        lines.append("")
    refused = report.get("refused") or []
    if refused:
        lines.append(REFUSED_HEAD.format(n=len(refused)))
        lines.extend(f"  {title}" for title in refused)
        lines.append("")
    lines.extend(f"{label}: {value}" for label, value in _facts(report, next_run))
    return "\n".join(lines) + "\n"


def html_body(report: dict, next_run: datetime | None) -> str:
    """The same facts as :func:`text_body`, as HTML (template ``email.html.j2``, autoescaped)."""
    from core.templating import render

    errors = [
        {
            "count": int(error.get("count") or 1),
            "cause": str(error.get("cause", "unknown")),
            "examples": _examples(error),
        }
        for error in report.get("errors") or []
    ]
    return render(
        __file__,
        "email.html.j2",
        subject=subject(report),
        columns=_COLUMNS,
        rows=_collection_rows(report),
        errors=errors,
        error_count=error_count(report),
        refused_head=REFUSED_HEAD.format(n=len(report.get("refused") or [])),
        refused=report.get("refused") or [],
        facts=_facts(report, next_run),
    )


def sample_report() -> dict:
    """A made-up report for ``reelscale test-email``."""
    return {
        "collections": [
            {
                "name": "Film Noir",
                "tag": "kai-film-noir",
                "members": 120,
                "added": 5,
                "removed": 1,
                "deferred": 0,
                "tokens": 12345,
                "cost_usd": 0.0123,
            },
            {
                "name": "Heist Movies",
                "tag": "kai-heist-movies",
                "members": 48,
                "added": 2,
                "removed": 0,
                "deferred": 3,
                "tokens": 6789,
                "cost_usd": 0.0071,
            },
        ],
        "requests": 40,
        "radarr_requests": 5,
        "radarr_writes": 2,
        "cost_usd": 0.0194,
        "tokens": {"input": 15000, "output": 3100, "cache_read": 900, "cache_write": 134},
        "seconds": 12.3,
        "peak_rss_mb": 80.1,
        "dry_run": False,
        "status": "ok",
        "errors": [
            {
                "cause": "Radarr 503 on PUT /api/v3/movie/editor (sample)",
                "count": 1,
                "examples": ["chunk of 100 movies (ids 1..100)"],
            },
        ],
        "stages": {"source": 1.2, "enrich": 0.0, "classify": 9.8, "tag": 0.4},
        "refused": ["A Sample Refused Movie (1999)"],
    }


def _collection_rows(report: dict) -> list[tuple[str, ...]]:
    return [
        (
            str(c.get("name") or c.get("tag") or "?"),
            str(c.get("members", "-")),
            _signed("+", c.get("added")),
            _signed("-", c.get("removed")),
            str(int(c.get("deferred") or 0)),
            _money(c.get("cost_usd")),
        )
        for c in report.get("collections") or []
    ]


def _signed(sign: str, value: Any) -> str:
    n = int(value or 0)
    return f"{sign}{n}" if n else "0"


def _examples(error: dict) -> list[str]:
    return [str(x) for x in (error.get("examples") or [])[:MAX_EXAMPLES]]


def _facts(report: dict, next_run: datetime | None) -> list[tuple[str, str]]:
    tokens = report.get("tokens") or {}
    token_text = ", ".join(
        f"{kind.replace('_', ' ')} {int(tokens.get(kind) or 0):,}" for kind in _TOKEN_KINDS
    )
    facts = [
        (
            "Status",
            str(report.get("status", "ok")) + (" (dry run)" if report.get("dry_run") else ""),
        ),
        ("Claude", f"{int(report.get('requests') or 0):,} requests; tokens {token_text}"),
        ("Cost", _money(report.get("cost_usd"))),
        (
            "Radarr",
            f"{int(report.get('radarr_requests') or 0):,} requests, "
            f"{int(report.get('radarr_writes') or 0):,} writes",
        ),
        ("Duration", _duration(report)),
    ]
    if "sonarr" in (report.get("sources") or {}):
        facts.insert(
            4,
            (
                "Sonarr",
                f"{int(report.get('sonarr_requests') or 0):,} requests, "
                f"{int(report.get('sonarr_writes') or 0):,} writes",
            ),
        )
    if report.get("peak_rss_mb") is not None:
        facts.append(("Peak memory", f"{float(report['peak_rss_mb']):.0f} MB"))
    facts.append(("Next run", next_run.strftime("%Y-%m-%d %H:%M %Z") if next_run else "none"))
    return facts


def _duration(report: dict) -> str:
    text = _seconds(report.get("seconds"))
    stages = report.get("stages") or {}
    if stages:
        text += " (" + ", ".join(f"{k} {_seconds(v)}" for k, v in stages.items()) + ")"
    return text


def _seconds(value: Any) -> str:
    seconds = float(value or 0)
    if seconds >= 90:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest} s"
    return f"{seconds:.1f} s"


def _money(value: Any) -> str:
    if value is None:
        return "-"
    amount = float(value)
    return f"${amount:.2f}" if amount >= 1 else f"${amount:.4f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
