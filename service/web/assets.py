"""The workbench's browser libraries, served by govgraph itself (no CDN: works offline).

htmx and Cytoscape.js come from the npm registry, pinned in ``package.json`` and
``package-lock.json`` next to this file, and are installed by ``./dev setup`` (``npm ci``)
into ``service/web/node_modules`` (git-ignored). Only their ``dist`` builds are served. When
they are missing the pages still render and say how to install them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS", "INSTALL_HINT", "WEB_DIR", "Asset", "missing_assets", "mount_assets"]

WEB_DIR = Path(__file__).resolve().parent
NODE_MODULES = WEB_DIR / "node_modules"
INSTALL_HINT = "run ./dev setup (or: cd service/web && npm ci), then reload this page"


@dataclass(frozen=True)
class Asset:
    package: str  # the npm package
    dist: Path  # its folder of built files, served as-is
    file: str  # the script the pages load

    @property
    def url(self) -> str:
        return f"/web/assets/{self.package}/{self.file}"

    @property
    def present(self) -> bool:
        return (self.dist / self.file).is_file()


ASSETS = {
    "htmx": Asset("htmx.org", NODE_MODULES / "htmx.org" / "dist", "htmx.min.js"),
    "cytoscape": Asset("cytoscape", NODE_MODULES / "cytoscape" / "dist", "cytoscape.min.js"),
}


def missing_assets() -> list[str]:
    """The npm packages whose built script is not installed."""
    return [a.package for a in ASSETS.values() if not a.present]


def mount_assets(app: FastAPI) -> None:
    # check_dir=False: a checkout without npm still starts; the files are then 404s and the
    # pages show INSTALL_HINT instead.
    for asset in ASSETS.values():
        app.mount(
            f"/web/assets/{asset.package}",
            StaticFiles(directory=str(asset.dist), check_dir=False),
            name=f"web-assets-{asset.package}",
        )
    app.mount("/web/static", StaticFiles(directory=str(WEB_DIR / "static")), name="web-static")
