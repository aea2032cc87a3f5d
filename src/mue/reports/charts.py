"""The maturity chart: one horizontal bar per domain on the 1-5 scale, as SVG (HTML, PDF) or PNG (DOCX).

Written as SVG by hand like the dependency diagrams (:mod:`mue.graph.svg`); the DOCX gets the same
picture turned into PNG by CairoSVG, since Word and LibreOffice do not all read SVG images.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

BAR_COLOURS = ((2.0, "#c0392b"), (3.0, "#e67e22"), (4.0, "#e0b000"), (5.1, "#45a06f"))


def _colour(score: float) -> str:
    return next(colour for limit, colour in BAR_COLOURS if score < limit)


def maturity_svg(rows: list[tuple[str, float | None]], title: str, not_evaluated: str) -> str:
    """Bars of ``(domain label, score or None)``; a domain without score says ``not_evaluated``."""
    label_width, bar_width, row_height, top = 230, 420, 30, 44
    width = label_width + bar_width + 70
    height = top + row_height * len(rows) + 34
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" role="img">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="10" y="24" font-size="15" font-weight="bold" fill="#1f2d3d">{escape(title)}</text>',
    ]
    for tick in range(1, 6):
        x = label_width + (tick - 1) / 4 * bar_width
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 26}" stroke="#d9dee3"/>'
                   f'<text x="{x:.1f}" y="{height - 10}" font-size="11" fill="#5f6b73" '
                   f'text-anchor="middle">{tick}</text>')
    for i, (label, score) in enumerate(rows):
        y = top + i * row_height
        out.append(f'<text x="{label_width - 10}" y="{y + 19}" font-size="12" fill="#1f2d3d" '
                   f'text-anchor="end">{escape(label)}</text>')
        if score is None:
            out.append(f'<text x="{label_width + 6}" y="{y + 19}" font-size="11" fill="#5f6b73" '
                       f'font-style="italic">{escape(not_evaluated)}</text>')
            continue
        length = max(2.0, (score - 1) / 4 * bar_width)
        out.append(f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{row_height - 10}" rx="3" '
                   f'fill="{_colour(score)}"/>'
                   f'<text x="{label_width + length + 8:.1f}" y="{y + 19}" font-size="12" font-weight="bold" '
                   f'fill="#1f2d3d">{score:.1f}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def svg_to_png(svg: str, width: int = 1400) -> bytes:
    """The SVG as a PNG ``width`` pixels wide (sharp when printed at the page's width)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
