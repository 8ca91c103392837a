"""MkDocs hook: the HTTP API page (docs/reference/http-api.md) from the spec itself.

- `openapi/gpueater.yaml` is published with the site as `reference/gpueater.yaml`.
- The Redocly HTML reference (`make spec-html`, which needs Node) is published as
  `reference/gpueater-api.html` when it has been built from the current spec. The page
  keeps the text between `<!-- when spec-html -->` and `<!-- otherwise -->` when it is
  there, else the text from `<!-- otherwise -->` to `<!-- end -->` (how to build it), so a
  build without Node never links a page that is not there and --strict still passes.
- `<!-- operations -->` becomes the table of every operation in the spec (method, path,
  operationId, summary), so the page cannot list an operation the spec does not have.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.structure.files import File, Files

__all__ = ["on_files", "on_page_markdown"]

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "gpueater.yaml"
SPEC_HTML = ROOT / "docs-build" / "gpueater-api.html"
PAGE = "reference/http-api.md"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_CHOICE = re.compile(
    r"<!-- when spec-html -->\n(.*?)<!-- otherwise -->\n(.*?)<!-- end -->\n", re.DOTALL
)


def spec_html_is_current() -> bool:
    """Built, and not older than the spec (a stale page would describe another API)."""
    return SPEC_HTML.is_file() and SPEC_HTML.stat().st_mtime >= SPEC.stat().st_mtime


def on_files(files: Files, config: Any) -> Files:
    published = [(SPEC, "reference/gpueater.yaml")]
    if spec_html_is_current():
        published.append((SPEC_HTML, "reference/gpueater-api.html"))
    for source, destination in published:
        files.append(File.generated(config, destination, abs_src_path=str(source)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if not _CHOICE.search(markdown):
        raise ValueError(f"{PAGE}: the <!-- when spec-html --> ... <!-- end --> choice is missing")
    keep = 1 if spec_html_is_current() else 2
    markdown = _CHOICE.sub(lambda found: found.group(keep), markdown)
    return markdown.replace("<!-- operations -->", operations_table())


def operations_table() -> str:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    rows = ["| method | path | operationId | summary |", "|---|---|---|---|"]
    for path, item in spec["paths"].items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            summary = " ".join(str(operation.get("summary", "")).split()).replace("|", "\\|")
            rows.append(
                f"| {method.upper()} | `{path}` | `{operation['operationId']}` | {summary} |"
            )
    return "\n".join(rows)
