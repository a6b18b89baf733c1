"""Network figure of one theme: actors in one column per level, ties solid, gaps dashed.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global backend state), so
it is safe in the API's worker threads. Output is deterministic for the same input.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .model import LEVEL_ORDER, ThemeNetwork, level_title

__all__ = ["GAP_COLOUR", "LEVEL_COLOURS", "Figure", "render_network"]

# Colour-blind-safe (Okabe-Ito) hues, one per level; the browser test looks for them.
LEVEL_COLOURS = {
    "local": "#0072B2",
    "national": "#E69F00",
    "international": "#CC79A7",
    "non_state": "#009E73",
    "unknown": "#999999",
}
GAP_COLOUR = "#D55E00"
TIE_COLOUR = "#555555"


@dataclass(frozen=True)
class Figure:
    png: bytes
    svg: str
    alt: str


def _positions(net: ThemeNetwork) -> tuple[dict[str, tuple[float, float]], list[str]]:
    columns = [lv for lv in LEVEL_ORDER if any(n.level == lv for n in net.nodes)]
    pos: dict[str, tuple[float, float]] = {}
    for x, level in enumerate(columns):
        members = [n for n in net.nodes if n.level == level]
        for i, n in enumerate(members):
            # Spread each column over the full height, top to bottom in name order.
            y = 1.0 - (i + 0.5) / len(members)
            pos[n.id] = (float(x), y)
    return pos, columns


def _draw(net: ThemeNetwork, title: str) -> MplFigure:
    pos, columns = _positions(net)
    height = max(3.5, 0.55 * max(sum(1 for n in net.nodes if n.level == c) for c in columns) + 1.5)
    fig = MplFigure(figsize=(2.6 * len(columns) + 1.2, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(-0.45, len(columns) - 0.35)
    ax.set_ylim(-0.08, 1.08)
    for e in net.edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        # Same-column links would overlap the nodes between them: bend them.
        rad = 0.35 if x1 == x2 else 0.0
        ax.annotate(
            "",
            xy=(x2, y2),
            xytext=(x1, y1),
            arrowprops={
                "arrowstyle": "-",
                "connectionstyle": f"arc3,rad={rad}",
                "color": GAP_COLOUR if e.gap else TIE_COLOUR,
                "linestyle": (0, (4, 3)) if e.gap else "-",
                "linewidth": 1.8 if e.gap else 1.0,
                "alpha": 0.9 if e.gap else 0.6,
                "shrinkA": 7,
                "shrinkB": 7,
            },
            zorder=1,
        )
    for n in net.nodes:
        x, y = pos[n.id]
        ax.scatter(
            [x],
            [y],
            s=180,
            c=LEVEL_COLOURS.get(n.level, LEVEL_COLOURS["unknown"]),
            edgecolors=GAP_COLOUR if n.flagged else "white",
            linewidths=2.5 if n.flagged else 1.0,
            zorder=2,
        )
        ax.text(
            x + 0.07,
            y,
            textwrap.fill(n.name, 24, max_lines=3, placeholder="..."),
            fontsize=7.5,
            va="center",
            ha="left",
            zorder=3,
        )
    for x, level in enumerate(columns):
        ax.text(x, 1.06, level_title(level), fontsize=9, fontweight="bold", ha="center")
    handles = [Patch(color=LEVEL_COLOURS[lv], label=level_title(lv)) for lv in columns] + [
        Line2D([], [], color=TIE_COLOUR, label="existing tie"),
        Line2D([], [], color=GAP_COLOUR, linestyle=(0, (4, 3)), label="coordination gap"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor=GAP_COLOUR,
            markeredgewidth=2,
            label="actor flagged by a finding",
        ),
    ]
    fig.legend(
        handles=handles, loc="lower center", ncol=min(4, len(handles)), fontsize=7.5, frameon=False
    )
    fig.suptitle(title, fontsize=11)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.9, bottom=0.1)
    return fig


def render_network(net: ThemeNetwork, title: str) -> Figure:
    """PNG and SVG of a theme network (an empty network gives an empty-state figure)."""
    alt = (
        f"{title}: {len(net.nodes)} actors, "
        f"{sum(1 for e in net.edges if not e.gap)} ties, {sum(1 for e in net.edges if e.gap)} gaps"
    )
    # Stable SVG ids and no timestamps: the same graph gives the same bytes.
    with rc_context(
        {"svg.hashsalt": "govgraph", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
        if net.nodes:
            fig = _draw(net, title)
        else:
            fig = MplFigure(figsize=(6, 1.5), dpi=100)
            FigureCanvasAgg(fig)
            fig.text(0.5, 0.5, "No actors to draw for this theme.", ha="center", va="center")
        with warnings.catch_warnings():
            # Names in scripts DejaVu lacks render as boxes; that must not fail a report.
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
            png = io.BytesIO()
            fig.savefig(png, format="png", dpi=110, metadata={"Software": None})
            svg = io.StringIO()
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return Figure(png=png.getvalue(), svg=svg.getvalue(), alt=alt)
