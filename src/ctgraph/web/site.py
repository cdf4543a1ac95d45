"""`ctgraph site`: what `ctgraph serve` shows, written as static files.

One code path: every page is rendered by the same app, templates and runner that
serve it, requested in-process, then its links are made relative so the folder
can be published on any static host. Written: the home page, the query list, every
stored query's page with its results and chart for its example parameters (and
its CSV and JSON files), every resource page of the graph and the
ontology with its `.ttl` and `.jsonld`, and the static files. A link to something
only a live server answers (search, /sparql, the JSON API, other parameters, other
RDF formats) loses its `href` but keeps its text, so no link in the folder is
dead. The folder is built beside the target and renamed into place: a failed
build leaves the old site as it was.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from ctgraph.queries.library import KnowledgeGraph
from ctgraph.web.app import STATIC, WebConfig, create_app
from ctgraph.web.render import local_path

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

#: the resource formats written beside each page
RDF_FILES = ("ttl", "jsonld")
#: the downloads written beside each stored query's page
DOWNLOAD_FILES = ("csv", "json")
LINK = re.compile(r'\s(href|src)="(/[^"]*)"')
SUBJECTS = "SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


class SiteError(RuntimeError):
    """A page the app would not render: the site is not written."""


@dataclass(frozen=True)
class SiteReport:
    """What was written, for the command's summary."""

    pages: int
    files: int


def resource_paths(kg: KnowledgeGraph) -> list[str]:
    """Every page path of the graph's own resources and ontology terms, sorted."""
    paths = {"/ontology"}
    for (subject,) in kg.sparql(SUBJECTS).rows:
        path = local_path(str(subject)) if subject is not None else None
        if path is not None and "#" not in path and "?" not in path:
            paths.add(path)
    return sorted(paths)


def file_for(path: str, ext: str = "html") -> str:
    """The file (relative to the site root) a resource path is written to as a page
    or in an RDF format: `/id/entity/unodc` -> `id/entity/unodc.html`."""
    return f"{unquote(path).lstrip('/')}.{ext}"


class Builder:
    """Requests pages from the app and remembers which URLs map to which files."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.files: dict[str, bytes] = {}  # file -> body
        self.urls: dict[str, str] = {}  # URL as pages link it -> file

    def get(self, url: str, file: str, *aliases: str) -> bytes:
        answer = self.client.get(url, headers={"accept": "text/html"})
        if answer.status_code != 200:
            raise SiteError(f"{url} gave HTTP {answer.status_code}")
        self.files[file] = answer.content
        for alias in (url, *aliases):
            self.urls[alias] = file
        return answer.content

    def relink(self, file: str, body: bytes) -> bytes:
        """Internal links made relative to `file`; unwritten targets unlinked."""
        here = posixpath.dirname(file)

        def swap(match: re.Match[str]) -> str:
            attr, url = match.group(1), match.group(2).replace("&amp;", "&")
            parts = urlsplit(url)
            target = self.urls.get(url) or (
                self.urls.get(parts.path) if not parts.query else None
            )
            if target is None:
                return ""  # the attribute goes; the element and its text stay
            rel = posixpath.relpath(target, here or ".")
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            return f' {attr}="{quote(rel)}{fragment}"'

        return LINK.sub(swap, body.decode("utf-8")).encode("utf-8")


def build_site(
    kg: KnowledgeGraph,
    out: Path,
    config: WebConfig | None = None,
    resources: Sequence[str] | None = None,
) -> SiteReport:
    """Write the static site to `out` (replaced whole, atomically): every resource
    page, or only the `resources` paths given."""

    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        site = render_all(kg, config, resources)
        write(site, staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pages = sum(1 for f in site.files if f.endswith(".html"))
    return SiteReport(pages, len(site.files) + len(list(STATIC.iterdir())))


def render_all(
    kg: KnowledgeGraph, config: WebConfig | None, resources: Sequence[str] | None
) -> Builder:
    """Every page and file, rendered by the serving app, held in memory."""
    from ctgraph.web.routers.queries import example_values, link

    with warnings.catch_warnings():  # the test client's own note about httpx
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    app = create_app(kg, config)
    with TestClient(app, raise_server_exceptions=True) as client:
        site = Builder(client)
        for path in resource_paths(kg) if resources is None else resources:
            site.get(path, file_for(path))
            for ext in RDF_FILES:
                site.get(f"{path}.{ext}", file_for(path, ext))
        for name in sorted(kg.queries):
            stored = kg.stored(name)
            values = example_values(stored)
            site.get(
                link(f"/queries/{name}", values, run=True),
                f"queries/{name}.html",
                f"/queries/{name}",
            )
            for ext in DOWNLOAD_FILES:
                site.get(
                    link(f"/queries/{name}.{ext}", values), f"queries/{name}.{ext}"
                )
        site.get("/", "index.html")
        site.get("/queries", "queries.html")
    for static in sorted(STATIC.iterdir()):
        site.urls[f"/static/{static.name}"] = f"static/{static.name}"
    return site


def write(site: Builder, staging: Path, out: Path) -> None:
    """The files into `staging`, then `staging` renamed to `out`."""
    shutil.copytree(STATIC, staging / "static")
    for file, body in site.files.items():
        target = staging / file
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.endswith(".html"):
            body = site.relink(file, body)
        target.write_bytes(body)
    os.chmod(staging, 0o755)
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old)
    else:
        staging.rename(out)
