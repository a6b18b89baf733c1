"""The HTML report as a real browser shows it: headless Chromium screenshot, not blank,
network figure drawn in the level colours."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from reporting_fixtures import pure_report

from reporting import LEVEL_COLOURS, ReportFormat, render_html, render_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


def screenshot(html_file: Path, png: Path, profile: Path) -> None:
    """Render ``html_file`` to ``png`` with a fresh profile (no state shared between runs)."""
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            "--window-size=1280,2000",
            html_file.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=90,
    )


def _colour_pixels(img: Image.Image, hex_colour: str, tolerance: int = 12) -> int:
    want = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(
        n
        for n, rgb in img.getcolors(maxcolors=1 << 22) or []
        if all(abs(a - b) <= tolerance for a, b in zip(rgb, want, strict=True))
    )


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (apt-get install chromium)")
def test_reporting_browser_renders_report_with_figure(tmp_path: Path) -> None:
    report = pure_report()
    html = render_report(report, ReportFormat.html).decode()
    assert '<figure class="network"' in html and "data:image/svg+xml;base64," in html
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    png = tmp_path / "shot.png"
    screenshot(page, png, tmp_path / "profile")
    img = Image.open(png).convert("RGB")
    assert img.size == (1280, 2000)
    colours = img.getcolors(maxcolors=1 << 22) or []
    assert len(colours) > 50, "the page rendered (almost) blank"
    white = sum(n for n, rgb in colours if rgb == (255, 255, 255))
    assert white < 0.98 * img.width * img.height
    # The level list shows small coloured dots too; the figure's nodes must add far more
    # pixels of each level colour than the same page without figures has.
    bare = tmp_path / "bare.html"
    bare.write_text(render_html(report, {}), encoding="utf-8")
    screenshot(bare, tmp_path / "bare.png", tmp_path / "profile-bare")
    without = Image.open(tmp_path / "bare.png").convert("RGB")
    for level in ("local", "national", "non_state"):
        drawn = _colour_pixels(img, LEVEL_COLOURS[level])
        assert drawn > _colour_pixels(without, LEVEL_COLOURS[level]) + 150, level
