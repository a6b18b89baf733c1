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
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .locale import catalog
from .model import LEVEL_ORDER, ThemeNetwork, level_title

__all__ = [
    "GAP_COLOUR",
    "LEVEL_COLOURS",
    "Figure",
    "draw_network",
    "layout_legend",
    "render_network",
]

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


# Figure geometry, in inches: the legend and the title get the room they measure, so
# neither is clipped however few columns (narrow figure) or many entries there are.
_PAD = 0.12
_LEGEND_FONT = 7.5
_TITLE_FONT = 11
_HEADER_FONT = 9
_HEADER_WIDTH = 22  # characters per line of a column header


def layout_legend(fig: MplFigure, handles: list, pad: float = _PAD) -> Legend:  # type: ignore[type-arg]
    """A legend under the plot, wrapped into as many columns as the figure's width holds,
    with the figure grown by the legend's measured height. Returns the legend."""
    width_px = fig.get_figwidth() * fig.dpi - 2 * pad * fig.dpi
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    legend = None
    for ncol in range(len(handles), 0, -1):
        if legend is not None:
            legend.remove()
        legend = fig.legend(
            handles=handles, loc="lower center", ncol=ncol, fontsize=_LEGEND_FONT, frameon=False
        )
        if legend.get_window_extent(renderer).width <= width_px:
            break
    assert legend is not None
    # Grow the figure downwards by the legend's height; the plot keeps its size in inches.
    legend_h = legend.get_window_extent(renderer).height / fig.dpi
    old_h = fig.get_figheight()
    new_h = old_h + legend_h + pad
    bottom, top = fig.subplotpars.bottom * old_h, fig.subplotpars.top * old_h
    fig.set_size_inches(fig.get_figwidth(), new_h)
    fig.subplots_adjust(
        bottom=(bottom + legend_h + pad) / new_h, top=(top + legend_h + pad) / new_h
    )
    legend.set_bbox_to_anchor((0.5, pad / new_h), transform=fig.transFigure)
    return legend


def draw_network(net: ThemeNetwork, title: str, lang: str = "en") -> MplFigure:
    """The network figure (matplotlib), laid out so every text lies inside it."""
    t = catalog(lang)
    pos, columns = _positions(net)
    width = 2.6 * len(columns) + 1.2
    rows = max(sum(1 for n in net.nodes if n.level == c) for c in columns)
    # The title wraps to the figure's width (about 0.6 em per character).
    title = textwrap.fill(title, max(20, int(width * 72 / (_TITLE_FONT * 0.6))))
    title_h = (title.count("\n") + 1) * _TITLE_FONT * 1.4 / 72
    # Column headers sit above the plot and wrap to two lines when long ("Organismos
    # internacionales"): they get their measured room between the plot and the title.
    headers = [textwrap.fill(level_title(level, lang), _HEADER_WIDTH) for level in columns]
    header_h = max(h.count("\n") + 1 for h in headers) * _HEADER_FONT * 1.4 / 72
    plot_h = max(2.5, 0.55 * rows + 0.5)
    height = plot_h + header_h + title_h + 2 * _PAD
    fig = MplFigure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=_PAD / height, top=plot_h / height)
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
    for x, header in enumerate(headers):
        ax.text(x, 1.06, header, fontsize=_HEADER_FONT, fontweight="bold", ha="center", va="bottom")
    handles = [Patch(color=LEVEL_COLOURS[lv], label=level_title(lv, lang)) for lv in columns] + [
        Line2D([], [], color=TIE_COLOUR, label=t("figure.tie")),
        Line2D([], [], color=GAP_COLOUR, linestyle=(0, (4, 3)), label=t("figure.gap")),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor=GAP_COLOUR,
            markeredgewidth=2,
            label=t("figure.flagged"),
        ),
    ]
    layout_legend(fig, handles)
    fig.suptitle(title, fontsize=_TITLE_FONT, y=1 - _PAD / fig.get_figheight(), va="top")
    return fig


def render_network(net: ThemeNetwork, title: str, lang: str = "en") -> Figure:
    """PNG and SVG of a theme network (an empty network gives an empty-state figure)."""
    t = catalog(lang)
    alt = t(
        "figure.alt",
        title=title,
        actors=len(net.nodes),
        ties=sum(1 for e in net.edges if not e.gap),
        gaps=sum(1 for e in net.edges if e.gap),
    )
    # Stable SVG ids and no timestamps: the same graph gives the same bytes.
    with rc_context(
        {"svg.hashsalt": "govgraph", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
        if net.nodes:
            fig = draw_network(net, title, lang)
        else:
            fig = MplFigure(figsize=(6, 1.5), dpi=100)
            FigureCanvasAgg(fig)
            fig.text(0.5, 0.5, t("figure.empty"), ha="center", va="center")
        with warnings.catch_warnings():
            # Names in scripts DejaVu lacks render as boxes; that must not fail a report.
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
            png = io.BytesIO()
            fig.savefig(png, format="png", dpi=110, metadata={"Software": None})
            svg = io.StringIO()
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return Figure(png=png.getvalue(), svg=svg.getvalue(), alt=alt)
