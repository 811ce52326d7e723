"""Make the report's pages open offline: no script or style sheet from a CDN.

memray's flamegraphs and asv's dashboard load their libraries from public CDNs (jsDelivr,
cdnjs, code.jquery.com), so both are blank without a network. Both are post-processed here:

- flamegraphs: memray ships the same libraries in its wheel
  (``memray/reporters/templates/assets/vendor``); :func:`vendor_memray` copies the ones a page
  names into ``vendor/`` beside it and points the page there (one copy of plotly's 3.6 MB for
  all the report's flamegraphs, where ``memray flamegraph --no-web`` inlines it into each);
- the asv dashboard: :func:`vendor_asv` copies ``vendor/asv/`` (the npm packages asv names, see
  its README) to ``results/html/vendor/`` and points ``index.html`` there.

Any ``<script src>`` or stylesheet ``<link>`` still pointing off the machine afterwards is an
error (:func:`remote_assets`), so a new memray or asv release that adds a library fails loudly.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from core.errors import BenchError

ASV_VENDOR = Path(__file__).parent / "vendor" / "asv"

# asv's CDN addresses -> the file in vendor/asv that holds the same library.
ASV_FILES = {
    "jquery-3.3.1.min.js": "jquery-3.3.1.min.js",
    "/flot/0.8.3/jquery.flot.min.js": "jquery.flot.js",
    "/flot/0.8.3/jquery.flot.time.min.js": "jquery.flot.time.js",
    "/flot/0.8.3/jquery.flot.selection.min.js": "jquery.flot.selection.js",
    "/flot/0.8.3/jquery.flot.categories.min.js": "jquery.flot.categories.js",
    "jquery.flot.orderBars.js": "jquery.flot.orderBars.js",
    "stupidtable.min.js": "stupidtable.min.js",
    "md5.min.js": "md5.min.js",
    "bootstrap@3.1.1/dist/js/bootstrap.min.js": "bootstrap.min.js",
    "bootstrap@3.1.1/dist/css/bootstrap.min.css": "bootstrap.min.css",
}

# A script or stylesheet reference: the whole attribute, the URL.
_ASSET = re.compile(
    r"""(?P<attr>(?:src|href)\s*=\s*["'](?P<url>(?:https?:)?//[^"']+)["'])""", re.IGNORECASE
)
_TAG = re.compile(r"<(script|link)\b[^>]*>", re.IGNORECASE)
_SRI = re.compile(r"""\s+(?:integrity|crossorigin|referrerpolicy)\s*=\s*["'][^"']*["']""")


def remote_assets(html: str) -> list[str]:
    """URLs of scripts and stylesheets the page would fetch from another machine."""
    found = []
    for tag in _TAG.finditer(html):
        text = tag.group(0)
        if tag.group(1).lower() == "link" and "stylesheet" not in text.lower():
            continue
        found += [m.group("url") for m in _ASSET.finditer(text)]
    return found


def _rewrite(html: str, local_name) -> str:
    """Every script/stylesheet tag pointing off the machine re-pointed at ``local_name(url)``."""

    def tag(match: re.Match) -> str:
        text = match.group(0)
        asset = _ASSET.search(text)
        if asset is None or (match.group(1).lower() == "link" and "stylesheet" not in text):
            return text
        local = local_name(asset.group("url"))
        attr = asset.group("attr")
        text = text.replace(attr, f'{attr.split("=", 1)[0].strip()}="{local}"')
        return _SRI.sub("", text)  # integrity hashes name the CDN's bytes

    return _TAG.sub(tag, html)


def vendor_memray(page: Path) -> list[Path]:
    """Point a memray HTML report at copies of its libraries in ``vendor/`` beside it."""
    import memray

    shipped = Path(memray.__file__).parent / "reporters" / "templates" / "assets" / "vendor"
    folder = page.parent / "vendor"
    copied: list[Path] = []

    def local(url: str) -> str:
        source = shipped / url.rsplit("/", 1)[-1]
        if not source.is_file():
            raise BenchError(f"{page.name} loads {url}, which memray does not ship")
        folder.mkdir(exist_ok=True)
        target = folder / source.name
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, target)
        copied.append(target)
        return f"vendor/{source.name}"

    html = _rewrite(page.read_text(encoding="utf-8"), local)
    _check(html, page)
    page.write_text(html, encoding="utf-8")
    return sorted(set(copied))


def vendor_asv(html_dir: Path) -> Path:
    """Copy vendor/asv to ``html_dir/vendor`` and point asv's ``index.html`` at it."""
    index = html_dir / "index.html"
    target = html_dir / "vendor"
    shutil.copytree(ASV_VENDOR, target, dirs_exist_ok=True)

    def local(url: str) -> str:
        for tail, name in ASV_FILES.items():
            if url.endswith(tail):
                return f"vendor/{name}"
        raise BenchError(f"asv's index.html loads {url}, which vendor/asv does not hold")

    html = _rewrite(index.read_text(encoding="utf-8"), local)
    _check(html, index)
    index.write_text(html, encoding="utf-8")
    return target


def _check(html: str, page: Path) -> None:
    if left := remote_assets(html):
        raise BenchError(f"{page.name} still loads from the network: {', '.join(left)}")
