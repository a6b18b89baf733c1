"""The network figure's legend and texts are laid out inside the figure at any size."""

from __future__ import annotations

import io

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import Patch
from PIL import Image

from reporting.figure import draw_network, layout_legend, render_network
from reporting.model import NetworkEdge, NetworkNode, ThemeNetwork


def _network(levels: list[str], per_level: int) -> ThemeNetwork:
    nodes = tuple(
        NetworkNode(id=f"{lv}{i}", name=f"Agency number {i} of {lv}", level=lv, flagged=i == 0)
        for lv in levels
        for i in range(per_level)
    )
    edges = (NetworkEdge(nodes[0].id, nodes[-1].id, gap=True),) if len(nodes) > 1 else ()
    return ThemeNetwork(nodes=nodes, edges=edges)


def _inside(fig: MplFigure) -> None:
    """Every visible text and the legend lie within the figure's canvas (1 px tolerance)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = fig.bbox
    artists = [*fig.legends, *(t for t in fig.findobj(lambda a: hasattr(a, "get_text")))]
    for a in artists:
        if not a.get_visible() or (hasattr(a, "get_text") and not a.get_text()):
            continue
        ext = a.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1, (a, ext, box)
        assert ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1, (a, ext, box)
    # The title stays above the column headers (a wrapped header must not run into it).
    title = fig._suptitle  # type: ignore[attr-defined]
    headers = [t for t in fig.axes[0].texts if t.get_fontweight() == "bold"]
    assert title is not None and headers
    bottom = title.get_window_extent(renderer).y0
    assert all(h.get_window_extent(renderer).y1 <= bottom + 1 for h in headers)


@pytest.mark.parametrize(
    ("levels", "per_level"),
    [
        (["non_state"], 1),
        (["local"], 12),
        (["local", "national", "international", "non_state", "unknown"], 3),
    ],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_reporting_figure_texts_inside_any_size(
    levels: list[str], per_level: int, lang: str
) -> None:
    title = "Actors and gaps: Violence against children and adolescents in the region"
    _inside(draw_network(_network(levels, per_level), title, lang))


@pytest.mark.parametrize("entries", [1, 12])
def test_reporting_legend_wraps_inside_narrow_figure(entries: int) -> None:
    fig = MplFigure(figsize=(3.0, 2.0), dpi=100)
    FigureCanvasAgg(fig)
    fig.add_subplot().set_axis_off()
    handles = [Patch(color="#0072B2", label=f"legend entry number {i}") for i in range(entries)]
    legend = layout_legend(fig, handles)
    fig.canvas.draw()
    ext = legend.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    assert fig.bbox.x0 <= ext.x0 and ext.x1 <= fig.bbox.x1
    assert fig.bbox.y0 <= ext.y0 and ext.y1 <= fig.bbox.y1
    # The plot is pushed above the legend, not drawn over it.
    axes_bottom = fig.axes[0].get_window_extent(fig.canvas.get_renderer()).y0  # type: ignore[attr-defined]
    assert axes_bottom >= ext.y1 - 1


def test_reporting_figure_png_leaves_a_blank_border() -> None:
    """A clipped label would touch the image's edge: the PNG's outer pixels stay white."""
    fig = render_network(_network(["non_state"], 1), "Actors and gaps: Community safety")
    img = Image.open(io.BytesIO(fig.png)).convert("L")
    w, h = img.size
    edge = [img.getpixel((x, y)) for x in range(w) for y in (0, h - 1)]
    edge += [img.getpixel((x, y)) for y in range(h) for x in (0, w - 1)]
    assert min(edge) >= 250
