"""Text layout for the server-drawn SVG pictures: how wide a line of text is, wrapping it into
lines, and placing label blocks so that no two overlap and no leader line crosses a label.

Widths are estimated, not measured (the server has no fonts to measure with), from DejaVu
Sans, the widest of the usual sans-serif faces: an estimate that is too wide only leaves more
room, so labels laid out here do not overlap in the browser either."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

_NARROW = set("iljtfr.,;:'!|()[]`’ ")
_WIDE = set("MWmw@%")


def text_width(text: str, size: float) -> float:
    """An upper estimate of ``text``'s width in px at font size ``size``."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.4
        elif ch in _WIDE:
            em += 1.0
        elif ch.isupper() or ch.isdigit():
            em += 0.76
        else:
            em += 0.64
    return em * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (a word longer than that gets a line of its
    own, cut at the character that overflows, never mid-word otherwise)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size) > width:  # a very long word: cut it
            cut = max(1, int(len(word) * width / text_width(word, size)) - 1)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def text_block(x: float, y: float, lines: list[str], size: float, fill: str,
               anchor: str = "start", line_height: float | None = None, weight: str = "",
               halo: str = "") -> str:
    """Lines of text, the first baseline at ``y``; one <text> per line; ``halo``: a ground
    colour drawn round the letters, so a line passing behind them does not cross them."""
    step = line_height or size * 1.3
    bold = " font-weight='bold'" if weight else ""
    if halo:
        bold += f" stroke='{halo}' stroke-width='4' paint-order='stroke' stroke-linejoin='round'"
    return "".join(
        f"<text x='{x:.1f}' y='{y + i * step:.1f}' text-anchor='{anchor}' fill='{fill}' "
        f"font-size='{size}'{bold}>{escape(line)}</text>" for i, line in enumerate(lines))


def svg(width: int, height: float, title: str, body: list[str], ident: str, css: str) -> Markup:
    """An SVG of natural size ``width``, scaled down (never below it) by the page's CSS."""
    return Markup(
        f"<svg xmlns='http://www.w3.org/2000/svg' class='{css}' viewBox='0 0 {width} "
        f"{height:.0f}' width='{width}' height='{height:.0f}' role='group' "
        f"aria-labelledby='{ident}-title' font-family='system-ui, sans-serif'>"
        f"<title id='{ident}-title'>{escape(title)}</title>{''.join(body)}</svg>")


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float


class Placer:
    """Places label blocks beside an axis, each as near the axis as it can go while no label
    covers another label, no label lies across another's leader line (the line from its mark
    to the axis), and its own leader crosses no label already placed. Fixed obstacles (the
    axis's own labels) can be given too.

    Cost: each placement looks at the blocks placed so far, at most ``max_steps`` distances;
    the pictures draw a bounded number of labels (a summary past that), so a picture's layout
    costs the same whatever the size of the store."""

    def __init__(self, axis_y: float, direction: int, gap: float = 6, step: float = 8,
                 max_steps: int = 400):
        self.axis_y = axis_y
        self.direction = direction  # -1: above the axis, +1: below it
        self.gap = gap
        self.step = step
        self.max_steps = max_steps
        self.placed: list[tuple[Box, float | None]] = []  # label box, leader x (None: none)

    def obstacle(self, box: Box) -> None:
        """A box no label may cover and no leader may cross (e.g. an axis label)."""
        self.placed.append((box, None))

    def _near(self, box: Box) -> float:
        """The distance from the axis to the box's nearer edge."""
        return box.y0 - self.axis_y if self.direction > 0 else self.axis_y - box.y1

    def _free(self, box: Box, leader_x: float) -> bool:
        g = self.gap
        reach = self._near(box)  # this block's leader runs from the axis to here
        for other, other_x in self.placed:
            if box.x0 - g < other.x1 and other.x0 < box.x1 + g and \
                    box.y0 - g < other.y1 and other.y0 < box.y1 + g:
                return False  # covers another label
            if other_x is not None:
                o_near, o_far = sorted((self.axis_y, other.y1 if self.direction < 0
                                        else other.y0))
                if box.x0 - g <= other_x <= box.x1 + g and o_near < box.y1 and box.y0 < o_far:
                    return False  # lies across another's leader
            if other.x0 - g <= leader_x <= other.x1 + g and self._near(other) - g < reach:
                return False  # its own leader would cross another label
        return True

    def blocked(self, leader_x: float, offset: float) -> float:
        """How far out a leader at ``leader_x`` may reach before it meets a placed label
        (infinity when nothing stands in its way)."""
        g, limit = self.gap, float("inf")
        for other, _ in self.placed:
            if other.x0 - g <= leader_x <= other.x1 + g:
                limit = min(limit, self._near(other) - g)
        return limit

    def place(self, x0: float, width: float, height: float, leader_x: float,
              offset: float) -> Box | None:
        """The nearest free place for a block of ``width`` × ``height`` starting at ``x0``, at
        least ``offset`` from the axis, or None when there is none (every place would put a
        label across a leader)."""
        limit = self.blocked(leader_x, offset)
        for k in range(self.max_steps):
            d = offset + k * self.step
            if d > limit:
                return None
            if self.direction < 0:
                box = Box(x0, self.axis_y - d - height, x0 + width, self.axis_y - d)
            else:
                box = Box(x0, self.axis_y + d, x0 + width, self.axis_y + d + height)
            if self._free(box, leader_x):
                self.placed.append((box, leader_x))
                return box
        return None
