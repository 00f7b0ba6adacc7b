#!/usr/bin/env python3
"""Generate the committed demo media in ``static/demo/``.

The A2E emulator serves demo tasks whose "source image" and "result video"
are these files, so the dashboard has something realistic to show without
calling the real service:

    static/demo/source-1.png   stylised portrait of a person
    static/demo/source-2.png   sneaker product shot
    static/demo/source-3.png   mountain lake at sunset
    static/demo/source-4.png   a cat (image only, no matching video)
    static/demo/result-1.mp4   portrait: slow push-in, eyes look around, a blink
    static/demo/result-2.mp4   sneaker: bounces with squash, shadow, reflection
    static/demo/result-3.mp4   landscape: drifting clouds, water shimmer, birds
    static/demo/image-1.png .. image-4.png   "generated images" (results of the image kinds:
                               the scenes above restyled, 384x216, under ~30 KB each)
    static/demo/audio-1.wav    a 2 s chime (results of the voice and audio kinds; 8 kHz
                               16-bit mono PCM, made with the standard library alone)

Everything is drawn procedurally (gradients, shapes, soft shading) with fixed
random seeds, and x264 runs single-threaded: a rerun with the same package
versions reproduces the committed files byte for byte (last generated with
Pillow 13.0.0, numpy 2.4.6, imageio-ffmpeg 0.8.1 = ffmpeg 9.0.2; other
versions may change bytes, not the pictures).  Runs in about 45 s.

The files are committed; this script is only needed to REGENERATE them.  Its
dependencies are deliberately NOT part of the project's requirements -- use a
throwaway virtualenv:

    python3 -m venv /tmp/mediavenv
    /tmp/mediavenv/bin/pip install pillow numpy imageio-ffmpeg
    /tmp/mediavenv/bin/python scripts/make_demo_media.py            # all files
    /tmp/mediavenv/bin/python scripts/make_demo_media.py --out DIR  # elsewhere

What it needs:
  * Pillow + numpy for drawing;
  * imageio-ffmpeg, only for the ffmpeg binary it ships (there is no system
    ffmpeg); videos are encoded with libx264: H.264 Main profile, yuv420p,
    24 fps, 640x360, no audio, ``-movflags +faststart`` (moov atom first), so
    they play in Chromium's <video> tag and start before fully downloaded.

Size budgets: PNGs under ~60 KB (palette-quantised when needed), MP4s under
~300 KB (the CRF is raised until the file fits).  The script checks both and
also checks that ``moov`` precedes ``mdat`` in each MP4.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import struct
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps

W, H = 640, 360  # output size (logical coordinates used by all drawing code)
S = 3  # supersampling factor: draw at 3x, downscale with Lanczos => smooth edges
FPS = 24
PNG_BUDGET = 60_000
MP4_BUDGET = 300_000

Color = tuple[int, ...]


# --------------------------------------------------------------------------
# small drawing toolkit (all coordinates are logical 640x360 units)
# --------------------------------------------------------------------------


def _bounds(points, pad: float) -> tuple[int, int, int, int]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (
        math.floor((min(xs) - pad) * S),
        math.floor((min(ys) - pad) * S),
        math.ceil((max(xs) + pad) * S),
        math.ceil((max(ys) + pad) * S),
    )


def _ellipse_pts(box):
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y1)]


def shape(
    im: Image.Image,
    kind: str,
    geom,
    fill: Color,
    *,
    width: float = 0,
    blur: float = 0,
    opacity: float = 1.0,
    clip: Image.Image | None = None,
) -> None:
    """Draw an ellipse/polygon/line on RGBA ``im`` via a local layer.

    ``blur`` is a Gaussian radius in logical pixels, ``clip`` an optional
    full-size "L" mask restricting where the shape may appear.
    """
    pts = _ellipse_pts(geom) if kind == "ellipse" else list(geom)
    pad = blur * 3 + width + 2
    x0, y0, x1, y1 = _bounds(pts, pad)
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, im.width), min(y1, im.height)
    if x1 <= x0 or y1 <= y0:
        return
    layer = Image.new("RGBA", (x1 - x0, y1 - y0), (*fill[:3], 0))
    d = ImageDraw.Draw(layer)
    local = [(x * S - x0, y * S - y0) for x, y in pts]
    rgba = (*fill[:3], fill[3] if len(fill) > 3 else 255)
    if kind == "ellipse":
        d.ellipse([local[0], local[1]], fill=rgba)
    elif kind == "polygon":
        d.polygon(local, fill=rgba)
    elif kind == "line":
        w = max(1, round(width * S))
        d.line(local, fill=rgba, width=w, joint="curve")
        r = w / 2
        for cx, cy in (local[0], local[-1]):  # round caps
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgba)
    else:  # pragma: no cover
        raise ValueError(kind)
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur * S))
    if opacity < 1.0 or clip is not None:
        a = layer.getchannel("A")
        if opacity < 1.0:
            a = a.point(lambda v: round(v * opacity))
        if clip is not None:
            a = ImageChops.multiply(a, clip.crop((x0, y0, x1, y1)))
        layer.putalpha(a)
    im.alpha_composite(layer, (x0, y0))


def mask_of(kind: str, geom, size=(W * S, H * S)) -> Image.Image:
    m = Image.new("L", size, 0)
    d = ImageDraw.Draw(m)
    if kind == "ellipse":
        d.ellipse([v * S for v in geom], fill=255)
    else:
        d.polygon([(x * S, y * S) for x, y in geom], fill=255)
    return m


def bezier(p0, p1, p2, p3, n: int = 24):
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return out


def path(*segments):
    """Join point lists, dropping duplicated joints."""
    out = []
    for seg in segments:
        for p in seg:
            if not out or (abs(out[-1][0] - p[0]) > 1e-6 or abs(out[-1][1] - p[1]) > 1e-6):
                out.append(p)
    return out


def _stops_interp(t: np.ndarray, stops) -> np.ndarray:
    pos = [p for p, _ in stops]
    return np.stack([np.interp(t, pos, [c[i] for _, c in stops]) for i in range(3)], axis=-1)


def vgradient(stops, size=(W * S, H * S)) -> Image.Image:
    w, h = size
    cols = _stops_interp(np.linspace(0.0, 1.0, h), stops)
    arr = np.broadcast_to(cols[:, None, :], (h, w, 3))
    return Image.fromarray(arr.round().astype(np.uint8), "RGB").convert("RGBA")


def rgradient(center, radius, stops, size=(W * S, H * S), aspect: float = 1.0) -> Image.Image:
    """Radial gradient; ``center``/``radius`` logical, ``stops`` over 0..1 radius."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.hypot((xx / S - center[0]), (yy / S - center[1]) * aspect) / radius
    arr = _stops_interp(np.clip(d, 0, 1), stops)
    return Image.fromarray(arr.round().astype(np.uint8), "RGB").convert("RGBA")


def shaded_ellipse(im, box, light: Color, dark: Color, focus=(0.35, 0.3), blur=0.0):
    """Ellipse filled with a radial light->dark gradient (soft 3-D look)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    pad = blur * 3 + 2
    bx0, by0 = x0 - pad, y0 - pad
    size = (math.ceil((w + 2 * pad) * S), math.ceil((h + 2 * pad) * S))
    fx, fy = x0 + w * focus[0] - bx0, y0 + h * focus[1] - by0
    grad = rgradient((fx, fy), max(w, h) * 0.95, [(0, light), (1, dark)], size=size)
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).ellipse(
        [(x0 - bx0) * S, (y0 - by0) * S, (x1 - bx0) * S, (y1 - by0) * S], fill=255
    )
    if blur:
        m = m.filter(ImageFilter.GaussianBlur(blur * S))
    grad.putalpha(m)
    im.alpha_composite(grad, (round(bx0 * S), round(by0 * S)))


def fill_mask(im: Image.Image, mask: Image.Image, src) -> None:
    """Paint ``src`` (a colour or a full-size RGBA image) through ``mask``."""
    if not isinstance(src, Image.Image):
        src = Image.new("RGBA", im.size, (*tuple(src[:3]), 255))
    layer = src.copy()
    layer.putalpha(ImageChops.multiply(src.getchannel("A"), mask))
    im.alpha_composite(layer)


def camera(
    big: Image.Image, zoom: float = 1.0, cx: float = W / 2, cy: float = H / 2
) -> Image.Image:
    """Crop a (zoomed) window of the supersampled frame and downscale to WxH."""
    bw, bh = W / zoom, H / zoom
    x0 = min(max(cx - bw / 2, 0), W - bw)
    y0 = min(max(cy - bh / 2, 0), H - bh)
    box = (x0 * S, y0 * S, (x0 + bw) * S, (y0 + bh) * S)
    return big.convert("RGB").resize((W, H), Image.Resampling.LANCZOS, box=box)


def smoothstep(e0: float, e1: float, x: float) -> float:
    t = min(max((x - e0) / (e1 - e0), 0.0), 1.0)
    return t * t * (3 - 2 * t)


def new_canvas() -> Image.Image:
    return Image.new("RGBA", (W * S, H * S), (0, 0, 0, 0))


# --------------------------------------------------------------------------
# 1. stylised portrait
# --------------------------------------------------------------------------

SKIN = (238, 190, 155)
SKIN_DARK = (200, 138, 108)
HAIR = (58, 36, 44)


class Portrait:
    EYES = ((291.0, 158.0), (349.0, 158.0))
    EYE_W, EYE_H = 28.0, 15.0

    def __init__(self, seed: int = 11) -> None:
        rng = random.Random(seed)
        self.bg = vgradient([(0, (255, 205, 150)), (0.55, (236, 132, 139)), (1, (108, 82, 160))])
        glow = rgradient((210, 110), 330, [(0, (255, 236, 200)), (1, (120, 90, 170))])
        glow.putalpha(110)
        self.bg.alpha_composite(glow)
        # bokeh sprites: (sprite, x, y, speed, phase)
        self.bokeh = []
        for _ in range(16):
            r = rng.uniform(10, 34)
            spr = Image.new("RGBA", (math.ceil((2 * r + 24) * S),) * 2, (0, 0, 0, 0))
            col = rng.choice([(255, 240, 210), (255, 210, 220), (220, 200, 255)])
            shape(
                spr,
                "ellipse",
                (12, 12, 12 + 2 * r, 12 + 2 * r),
                (*col, 255),
                blur=2.5,
                opacity=rng.uniform(0.18, 0.4),
            )
            x = rng.choice([rng.uniform(-20, 210), rng.uniform(430, 660)])
            self.bokeh.append(
                (spr, x, rng.uniform(-20, 380), rng.uniform(6, 16), rng.uniform(0, 6.28), r)
            )
        self.person = self._draw_person()

    def _draw_person(self) -> Image.Image:
        im = new_canvas()
        cx = 320
        # back hair, falling to the shoulders
        shape(
            im,
            "polygon",
            path(
                bezier((246, 120), (226, 200), (228, 260), (250, 300)),
                [(390, 300)],
                bezier((390, 300), (412, 260), (414, 200), (394, 120)),
            ),
            (*HAIR, 255),
        )
        shape(im, "ellipse", (238, 52, 402, 200), (*HAIR, 255))
        # shoulders / shirt with soft shading
        torso = path(
            bezier((150, 372), (160, 300), (200, 282), (290, 270)),
            [(350, 270)],
            bezier((350, 270), (440, 282), (480, 300), (490, 372)),
        )
        tmask = mask_of("polygon", torso)
        fill_mask(im, tmask, vgradient([(0, (48, 170, 158)), (1, (24, 96, 110))]))
        shape(im, "polygon", torso[:30], (0, 0, 0, 60), blur=8, clip=tmask)  # shadow on left side
        # neck + collar
        shape(
            im,
            "polygon",
            [(296, 205), (344, 205), (348, 285), (320, 300), (292, 285)],
            (*SKIN_DARK, 255),
        )
        shape(
            im,
            "polygon",
            [(286, 272), (320, 306), (354, 272), (358, 278), (320, 318), (282, 278)],
            (235, 246, 240, 255),
        )
        shape(im, "ellipse", (288, 200, 352, 238), (120, 70, 60, 150), blur=6)  # chin shadow
        # ears + earrings
        for ex in (248, 392):
            shaded_ellipse(im, (ex - 11, 138, ex + 11, 180), SKIN, SKIN_DARK)
            shape(im, "ellipse", (ex - 3.5, 180, ex + 3.5, 187), (250, 200, 90, 255))
        # head
        shaded_ellipse(im, (250, 68, 390, 240), (248, 206, 172), SKIN_DARK, focus=(0.38, 0.32))
        # hair cap with swept fringe (hair ellipse clipped above a curve)
        fringe = path(
            [(230, 40), (410, 40), (410, 150)],
            bezier((400, 150), (370, 96), (320, 92), (292, 108)),
            bezier((292, 108), (272, 120), (258, 140), (246, 168)),
            [(230, 168)],
        )
        cap = ImageChops.multiply(
            mask_of("ellipse", (242, 54, 398, 210)), mask_of("polygon", fringe)
        )
        fill_mask(im, cap, HAIR)
        shape(
            im,
            "line",
            bezier((270, 80), (300, 66), (340, 66), (368, 84)),
            (120, 80, 90, 255),
            width=4,
            blur=2.5,
            opacity=0.55,
        )  # sheen
        # brows
        for sx in (-1, 1):
            bx = cx + sx * 29
            shape(
                im,
                "line",
                bezier(
                    (bx - sx * 14, 139),
                    (bx - sx * 4, 133),
                    (bx + sx * 8, 132.5),
                    (bx + sx * 16, 138),
                    12,
                ),
                (*HAIR, 255),
                width=3.6,
            )
        # blush
        for bx in (282, 358):
            shape(
                im,
                "ellipse",
                (bx - 15, 176, bx + 15, 194),
                (240, 120, 130, 255),
                blur=5,
                opacity=0.45,
            )
        # nose
        shape(
            im,
            "line",
            bezier((323, 158), (318, 176), (312, 186), (320, 191)),
            (*SKIN_DARK, 255),
            width=2.6,
            blur=0.4,
        )
        shape(im, "ellipse", (312, 186, 332, 196), (150, 90, 80, 255), blur=2.5, opacity=0.35)
        # mouth
        upper = bezier((302, 207), (312, 203), (328, 203), (338, 207), 12)
        lower = bezier((338, 207), (332, 221), (308, 221), (302, 207), 12)
        shape(im, "polygon", path(upper, lower), (196, 82, 98, 255))
        shape(
            im,
            "line",
            bezier((302, 207), (312, 211), (328, 211), (338, 207), 12),
            (140, 50, 64, 255),
            width=1.6,
        )
        shape(im, "ellipse", (314, 212, 328, 217), (255, 200, 200, 255), blur=1.2, opacity=0.5)
        return im

    def _eye(self, im, cx, cy, look: float, lid: float) -> None:
        w, h = self.EYE_W, self.EYE_H
        box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        emask = mask_of("ellipse", box)
        shape(im, "ellipse", box, (252, 250, 246, 255))
        ix = cx + look * 4.5
        shape(
            im, "ellipse", (ix - 7.5, cy - 7.5, ix + 7.5, cy + 7.5), (92, 62, 44, 255), clip=emask
        )
        shape(
            im, "ellipse", (ix - 5.5, cy - 5.5, ix + 5.5, cy + 5.5), (124, 88, 58, 255), clip=emask
        )
        shape(
            im, "ellipse", (ix - 3.4, cy - 3.4, ix + 3.4, cy + 3.4), (20, 14, 16, 255), clip=emask
        )
        shape(im, "ellipse", (ix - 4, cy - 5, ix - 0.5, cy - 1.5), (255, 255, 255, 255), clip=emask)
        # upper lid: its edge morphs from the top arc (open) to the bottom arc (closed)
        n = 24
        top, edge = [], []
        for i in range(n + 1):
            u = -1 + 2 * i / n
            dx = u * w / 2
            s = math.sqrt(max(0.0, 1 - u * u))
            y_open = cy - h / 2 * s
            y_closed = cy + h / 2 * s * 0.55
            top.append((cx + dx, y_open - 3))
            edge.append((cx + dx, y_open + (y_closed - y_open) * lid))
        if lid > 0.02:
            shape(im, "polygon", top + edge[::-1], (*SKIN, 255), clip=emask)
        shape(
            im, "ellipse", box, (120, 70, 60, 255), blur=1.5, opacity=0.25 * (1 - lid)
        )  # socket shade
        shape(
            im,
            "line",
            [(edge[0][0] - 2, edge[0][1] + 1), *edge, (edge[-1][0] + 3, edge[-1][1] - 2)],
            (40, 24, 28, 255),
            width=2.6,
        )

    def frame(self, t: float, dur: float) -> Image.Image:
        sec = t * dur
        im = self.bg.copy()
        for spr, x, y, speed, ph, r in self.bokeh:
            yy = (y - speed * sec - 12 - r) % 420 - 40
            xx = x + 6 * math.sin(ph + sec * 0.8) - 12 - r
            im.alpha_composite(spr, (round(xx * S), round(yy * S)))
        im.alpha_composite(self.person)
        # blink centred at 1.45 s (~0.28 s long); gaze drifts left-right
        lid = max(0.0, 1 - abs(sec - 1.45) / 0.14)
        lid = smoothstep(0, 1, lid)
        look = math.sin(2 * math.pi * t) * 0.9
        for ex, ey in self.EYES:
            self._eye(im, ex, ey, look, lid)
        zoom = 1.0 + 0.09 * (0.5 - 0.5 * math.cos(2 * math.pi * t))
        return camera(im, zoom, 320, 175)


# --------------------------------------------------------------------------
# 2. sneaker product shot
# --------------------------------------------------------------------------


class Sneaker:
    FLOOR = 292.0  # logical y of the floor contact line

    def __init__(self) -> None:
        bg = rgradient(
            (320, 150),
            420,
            [(0, (246, 251, 252)), (0.6, (196, 224, 234)), (1, (122, 170, 196))],
            aspect=1.5,
        )
        floor = vgradient([(0, (210, 228, 236)), (1, (160, 196, 214))])
        fm = Image.new("L", bg.size, 0)
        ImageDraw.Draw(fm).rectangle([0, int(262 * S), bg.width, bg.height], fill=255)
        fm = fm.filter(ImageFilter.GaussianBlur(18 * S))
        floor.putalpha(fm)
        bg.alpha_composite(floor)
        self.bg = bg
        self.sprite = self._draw_shoe()
        # reflection: flipped, faded towards the bottom
        refl = self.sprite.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        fade = vgradient(
            [(0, (70, 70, 70)), (0.45, (0, 0, 0)), (1, (0, 0, 0))], size=refl.size
        ).convert("L")
        refl.putalpha(ImageChops.multiply(refl.getchannel("A"), fade))
        self.reflection = refl

    def _draw_shoe(self) -> Image.Image:
        """Side view, toe to the right, in a 360x180 local box (sole bottom at y=162)."""
        size = (360 * S, 180 * S)
        im = Image.new("RGBA", size, (0, 0, 0, 0))

        def m(kind, geom):
            return mask_of(kind, geom, size)

        red, red_dark = (232, 57, 70), (170, 30, 48)
        navy = (29, 53, 87)
        upper = path(
            bezier((22, 128), (16, 100), (18, 62), (32, 40)),
            bezier((32, 40), (60, 54), (104, 64), (132, 56)),
            bezier((132, 56), (140, 40), (150, 28), (170, 30)),
            bezier((170, 30), (216, 56), (262, 78), (300, 96)),
            bezier((300, 96), (336, 108), (342, 126), (322, 136)),
            [(22, 136)],
        )
        um = m("polygon", upper)
        fill_mask(im, um, vgradient([(0, (246, 92, 98)), (0.55, red), (1, red_dark)], size=size))
        # toe cap + mudguard (navy band along the sole with a wavy top edge)
        guard = path(
            [(10, 134)],
            bezier((10, 104), (60, 96), (120, 112), (180, 110)),
            bezier((180, 110), (230, 108), (262, 98), (290, 96)),
            [(350, 96), (350, 134)],
        )
        gm = ImageChops.multiply(um, m("polygon", guard))
        fill_mask(im, gm, vgradient([(0, (52, 82, 122)), (1, navy)], size=size))
        toe = ImageChops.multiply(um, m("ellipse", (262, 84, 372, 170)))
        fill_mask(im, toe, (244, 244, 240))
        # heel counter
        heel = ImageChops.multiply(
            um, m("polygon", path(bezier((0, 48), (44, 60), (56, 92), (50, 140)), [(0, 140)]))
        )
        fill_mask(im, heel, navy)
        # stitching along the mudguard edge
        stitch = bezier((26, 101), (70, 95), (120, 108), (180, 105), 60)
        for a, b in zip(stitch[::2], stitch[1::2], strict=False):
            shape(im, "line", [a, b], (235, 235, 235, 255), width=1.1, clip=um)
        # side emblem: a simple 5-point star
        cxs, cys = 100, 84
        star = []
        for k in range(10):
            rr = 11 if k % 2 == 0 else 4.6
            ang = -math.pi / 2 + k * math.pi / 5
            star.append((cxs + rr * math.cos(ang), cys + rr * math.sin(ang)))
        shape(im, "polygon", star, (255, 255, 255, 255))
        # collar padding + tongue
        shape(
            im,
            "line",
            bezier((32, 41), (60, 55), (104, 65), (134, 56)),
            (120, 20, 36, 255),
            width=5,
        )
        shape(
            im,
            "polygon",
            path(bezier((134, 58), (138, 30), (150, 14), (170, 16)), [(182, 36), (150, 62)]),
            (250, 110, 110, 255),
        )
        # laces + eyelets
        lace_line = bezier((172, 44), (204, 60), (240, 76), (280, 96), 6)
        for x, y in lace_line[:-1]:
            shape(im, "ellipse", (x - 2.2, y + 4, x + 2.2, y + 8.4), (60, 20, 30, 255))
            shape(im, "line", [(x - 8, y - 3), (x + 8, y + 8)], (250, 250, 250, 255), width=3.0)
        # volume shading + highlight, clipped to the upper
        shape(
            im,
            "polygon",
            path(bezier((10, 128), (80, 110), (200, 120), (340, 126)), [(340, 140), (10, 140)]),
            (0, 0, 0, 255),
            blur=10,
            opacity=0.35,
            clip=um,
        )
        shape(
            im, "ellipse", (40, 46, 300, 96), (255, 255, 255, 255), blur=12, opacity=0.22, clip=um
        )
        # sole
        sole = path(
            [(20, 134), (306, 134)],
            bezier((306, 134), (334, 134), (344, 144), (332, 154)),
            bezier((332, 154), (322, 161), (304, 163), (284, 163)),
            [(36, 163)],
            bezier((36, 163), (16, 163), (8, 152), (12, 143)),
            bezier((12, 143), (14, 137), (16, 135), (20, 134)),
        )
        sm = m("polygon", sole)
        fill_mask(
            im,
            sm,
            vgradient(
                [(0, (255, 255, 255)), (0.8, (230, 232, 234)), (1, (200, 204, 210))], size=size
            ),
        )
        shape(im, "line", [(16, 150), (336, 150)], (196, 200, 206, 255), width=1.6, clip=sm)
        shape(
            im, "polygon", [(8, 157), (350, 157), (350, 170), (8, 170)], (70, 74, 84, 255), clip=sm
        )  # outsole
        return im

    def frame(self, t: float, dur: float, squash_k: float = 0.07) -> Image.Image:
        im = self.bg.copy()
        # two bounces per loop; phase 0 = touching the floor
        ph = (2 * t) % 1.0
        height = 58 * math.sin(math.pi * ph)
        contact = math.exp(-((min(ph, 1 - ph) / 0.05) ** 2))  # ~1 just around the touch-down
        squash = 1 - squash_k * contact
        tilt = 7 * math.sin(2 * math.pi * ph)  # toe lifts going up, drops coming down
        spr = self.sprite
        sw, sh = spr.size
        new = spr.resize(
            (round(sw * (1 + (1 - squash) * 0.6)), round(sh * squash)), Image.Resampling.BICUBIC
        )
        new = new.rotate(tilt, resample=Image.Resampling.BICUBIC, expand=True)
        cx = 320
        # bottom centre of sole (local y=163 of 180) sits on the floor when height==0
        bottom = self.FLOOR - height
        px = cx * S - new.width / 2
        py = bottom * S - new.height / 2 - (163 - 90) * S * squash
        # contact shadow + reflection
        k = height / 58
        sw2 = 150 * (1 - 0.35 * k)
        shape(
            im,
            "ellipse",
            (cx - sw2, self.FLOOR - 7 + 2 * k, cx + sw2, self.FLOOR + 9 - 2 * k),
            (40, 60, 80, 255),
            blur=6 + 6 * k,
            opacity=0.55 - 0.3 * k,
        )
        refl = self.reflection.rotate(-tilt, resample=Image.Resampling.BICUBIC, expand=True)
        rx = cx * S - refl.width / 2
        ry = (self.FLOOR + height) * S - refl.height / 2 + (163 - 90) * S
        ref_layer = new_canvas()
        ref_layer.alpha_composite(refl, (round(rx), round(ry)))
        im.alpha_composite(ref_layer)
        im.alpha_composite(new, (round(px), round(py)))
        return camera(im, 1.04, 320, 172)


# --------------------------------------------------------------------------
# 3. mountain lake at sunset
# --------------------------------------------------------------------------


def ridge(rng: np.random.Generator, n: int, base: float, rough: float, peaks) -> np.ndarray:
    """Midpoint-displacement ridge line (heights in logical px, y grows down)."""
    size = 1
    while size < n:
        size *= 2
    y = np.zeros(size + 1)
    step, amp = size, rough
    while step > 1:
        half = step // 2
        for i in range(half, size, step):
            y[i] = (y[i - half] + y[i + half]) / 2 + rng.uniform(-amp, amp)
        step, amp = half, amp * 0.55
    y = y[:n]
    x = np.arange(n)
    for px, ph, pw in peaks:  # triangular-ish peaks for a mountain silhouette
        y -= ph * np.clip(1 - np.abs(x - px) / pw, 0, 1) ** 1.3
    return base + y


class Landscape:
    HORIZON = 238.0

    def __init__(self, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.rng_py = random.Random(seed)
        n = W * S
        sky = vgradient(
            [
                (0, (34, 48, 104)),
                (0.3, (92, 84, 150)),
                (0.55, (214, 126, 140)),
                (0.66, (252, 184, 122)),
                (1, (252, 214, 150)),
            ]
        )
        shape(sky, "ellipse", (360, 108, 500, 248), (255, 214, 150, 255), blur=18, opacity=0.8)
        shape(sky, "ellipse", (412, 158, 448, 194), (255, 244, 214, 255), blur=0.8)
        self.sky = sky
        land = new_canvas()
        arr_x = np.arange(n) / S
        layers = [
            # (base y, roughness, peaks, colour top, colour bottom, snow)
            (
                200,
                20,
                [(180, 95, 120), (300, 70, 90), (470, 105, 140)],
                (132, 112, 168),
                (196, 142, 160),
                True,
            ),
            (
                220,
                14,
                [(90, 55, 110), (380, 40, 120), (590, 60, 100)],
                (84, 76, 128),
                (128, 100, 140),
                False,
            ),
            (236, 6, [(40, 26, 80), (610, 30, 90)], (44, 52, 84), (60, 64, 96), False),
        ]
        self.snow_mask = None
        for base, rough, peaks, ctop, cbot, snow in layers:
            r = ridge(rng, W, base, rough, peaks)
            r = np.interp(arr_x, np.arange(W), r)
            yy = np.arange(H * S)[:, None] / S
            inside = yy >= r[None, :]
            depth = np.clip((yy - r[None, :]) / 60, 0, 1)
            # side lighting from the sun (right): slopes facing right are lighter
            slope = np.gradient(
                np.convolve(
                    np.pad(r, 20 * S, mode="edge"), np.ones(41 * S) / (41 * S), mode="same"
                )[20 * S : -20 * S]
            )
            light = np.clip(-slope * 1.6, -0.25, 0.35)[None, :]
            col = (
                np.array(ctop)[None, None, :] * (1 - depth[..., None])
                + np.array(cbot) * depth[..., None]
            )
            col = col * (1 + light[..., None] * (1 - depth[..., None]))
            if snow:
                snowline = 150 + 8 * np.sin(arr_x / 13) + 4 * np.sin(arr_x / 5.3)
                is_snow = inside & (yy < snowline[None, :]) & (yy < r[None, :] + 30)
                snow_col = np.array((250, 236, 240)) * (
                    0.86 + np.clip(light, -0.2, 0.3)[..., None] * 0.5
                )
                col = np.where(is_snow[..., None], snow_col, col)
            rgba = np.dstack([np.clip(col, 0, 255), inside * 255.0]).astype(np.uint8)
            land.alpha_composite(Image.fromarray(rgba, "RGBA"))
        # shore + pines
        shape(
            land,
            "polygon",
            [(0, 232), (200, 236), (420, 238), (640, 232), (640, 242), (0, 242)],
            (30, 40, 58, 255),
        )
        prng = random.Random(seed)
        for x0, x1, count in ((0, 170, 16), (500, 640, 12)):
            for _ in range(count):
                x = prng.uniform(x0, x1)
                h = prng.uniform(22, 46) * (1.25 if x < 60 or x > 600 else 1)
                base_y = 240
                for k in range(4):  # stacked triangles
                    ty = base_y - h * k / 4.4
                    wdt = h * 0.32 * (1 - k / 5)
                    shape(
                        land,
                        "polygon",
                        [(x - wdt, ty), (x, ty - h * 0.42), (x + wdt, ty)],
                        (20, 30, 44, 255),
                    )
        self.land = land
        # cloud sprites (soft clusters of ellipses)
        self.clouds = []
        for cxs, cys, scale, speed in (
            (120, 70, 1.0, 9.0),
            (330, 48, 0.8, 6.0),
            (540, 92, 1.15, 11.0),
            (-60, 120, 0.7, 13.0),
            (260, 128, 0.6, 8.0),
        ):
            spr = Image.new("RGBA", (int(180 * scale * S), int(80 * scale * S)), (0, 0, 0, 0))
            shape(
                spr,
                "ellipse",
                (20 * scale, 44 * scale, 160 * scale, 64 * scale),
                (255, 214, 206, 255),
                blur=2.5 * scale,
            )
            for j in range(6):
                ex = (40 + j * 20 + self.rng_py.uniform(-6, 6)) * scale
                rx = (
                    10 + 16 * math.sin(math.pi * (j + 0.5) / 6) + self.rng_py.uniform(-3, 4)
                ) * scale
                ey = 56 * scale - rx * 0.8
                shape(
                    spr,
                    "ellipse",
                    (ex - rx, ey - rx * 0.85, ex + rx, ey + rx * 0.85),
                    (255, 222, 212, 255),
                    blur=1.6 * scale,
                )
            # darker underside for volume
            shape(
                spr,
                "ellipse",
                (15 * scale, 44 * scale, 165 * scale, 74 * scale),
                (170, 110, 150, 255),
                blur=7 * scale,
                opacity=0.5,
                clip=spr.getchannel("A"),
            )
            self.clouds.append((spr, cxs, cys, speed, scale))
        # sparkles on the water (fixed positions, twinkling)
        self.sparkles = [
            (
                self.rng_py.gauss(430, 22),
                self.rng_py.uniform(246, 320),
                self.rng_py.uniform(0, 6.28),
                self.rng_py.uniform(4, 12),
            )
            for _ in range(26)
        ]
        # foreground reeds (bottom-left)
        reeds = new_canvas()
        for _ in range(26):
            x = self.rng_py.uniform(-10, 120)
            top = self.rng_py.uniform(285, 330)
            bend = self.rng_py.uniform(-14, 18)
            shape(
                reeds,
                "line",
                bezier((x, 362), (x, 340), (x + bend * 0.4, top + 20), (x + bend, top), 10),
                (16, 22, 32, 255),
                width=self.rng_py.uniform(1.6, 3.2),
            )
        shape(
            reeds,
            "polygon",
            [(-10, 350), (40, 338), (140, 348), (170, 362), (-10, 362)],
            (16, 22, 32, 255),
        )
        self.reeds = reeds

    def frame(self, t: float, dur: float) -> Image.Image:
        sec = t * dur
        im = self.sky.copy()
        for spr, cx, cy, speed, scale in self.clouds:
            x = (cx + speed * sec + 120) % 860 - 120
            im.alpha_composite(spr, (round((x - 90 * scale) * S), round((cy - 40 * scale) * S)))
        # birds
        for i, (bx, by) in enumerate(((150, 140), (170, 132), (186, 146))):
            x = bx + 22 * sec + 4 * i
            y = by - 3 * sec + 2 * math.sin(sec * 3 + i)
            flap = 3.5 * math.sin(sec * 14 + i * 1.7)
            shape(
                im,
                "line",
                [(x - 6, y - flap), (x, y), (x + 6, y - flap)],
                (40, 34, 60, 255),
                width=1.3,
            )
        im.alpha_composite(self.land)
        # lake: mirrored scene, tinted, with a travelling row-wise shimmer
        arr = np.asarray(im.convert("RGB"), dtype=np.float32)
        hz = int(self.HORIZON * S)
        rows = np.arange(hz, H * S)
        dist = (rows - hz) / S  # logical px below the horizon
        src = np.clip(2 * hz - rows - 4 * S, 0, hz - 1)
        amp = (0.6 + dist * 0.05) * S
        offs = amp * np.sin(dist * 0.9 - sec * 2 * math.pi * 1.2) + 0.5 * amp * np.sin(
            dist * 2.3 + sec * 5.0
        )
        xs = np.arange(W * S)[None, :] + offs[:, None]
        xs = np.clip(np.round(xs).astype(int), 0, W * S - 1)
        refl = arr[src[:, None], xs]
        tint = np.array((40, 60, 110), dtype=np.float32)
        k = np.clip(0.35 + dist / 260, 0, 0.8)[:, None, None]
        refl = refl * (1 - k) * 0.92 + tint * k
        # faint horizontal ripple lines
        ripple = 1 + 0.05 * np.sin(dist * 3.1 + sec * 4)[:, None, None]
        arr[hz:] = np.clip(refl * ripple, 0, 255)
        im = Image.fromarray(arr.astype(np.uint8), "RGB").convert("RGBA")
        shape(
            im,
            "line",
            [(0, self.HORIZON + 0.3), (640, self.HORIZON + 0.3)],
            (255, 220, 170, 255),
            width=0.8,
            blur=0.6,
            opacity=0.5,
        )
        for x, y, ph, ln in self.sparkles:
            a = max(0.0, math.sin(ph + sec * 4.2)) ** 3
            if a > 0.05:
                shape(
                    im,
                    "line",
                    [(x - ln / 2, y), (x + ln / 2, y)],
                    (255, 232, 190, 255),
                    width=1.0,
                    blur=0.5,
                    opacity=0.8 * a,
                )
        im.alpha_composite(self.reeds)
        return camera(im, 1.05, 300 + 40 * t, 182)


# --------------------------------------------------------------------------
# 4. cat (image only)
# --------------------------------------------------------------------------


def draw_cat() -> Image.Image:
    im = vgradient([(0, (206, 196, 240)), (0.7, (244, 206, 224)), (1, (236, 176, 196))])
    shape(
        im, "ellipse", (60, -80, 380, 200), (255, 246, 230, 255), blur=40, opacity=0.7
    )  # window light
    # cushion / floor
    shape(im, "ellipse", (150, 300, 490, 400), (146, 96, 160, 255), blur=2)
    shape(im, "ellipse", (180, 306, 460, 360), (170, 120, 184, 255), blur=6, opacity=0.8)
    shape(
        im, "ellipse", (230, 318, 410, 352), (60, 30, 70, 255), blur=8, opacity=0.45
    )  # contact shadow
    orange, orange_dark, stripe = (238, 150, 72), (196, 104, 44), (190, 96, 40)
    cream = (252, 232, 200)
    # tail curling up on the right
    tail = bezier((360, 332), (450, 346), (482, 280), (452, 236), 30)
    shape(im, "line", tail, (*orange_dark, 255), width=22)
    shape(im, "line", tail, (*orange, 255), width=17)
    tail_m = Image.new("L", im.size, 0)
    ImageDraw.Draw(tail_m).line(
        [(x * S, y * S) for x, y in tail], fill=255, width=17 * S, joint="curve"
    )
    for i in (10, 16, 22, 27):
        (x0, y0), (x1, y1) = tail[i - 1], tail[i + 1]
        nx, ny = -(y1 - y0), (x1 - x0)
        ln = math.hypot(nx, ny)
        nx, ny = nx / ln * 14, ny / ln * 14
        x, y = tail[i]
        shape(
            im,
            "line",
            [(x - nx, y - ny), (x + nx, y + ny)],
            (*stripe, 255),
            width=4.5,
            opacity=0.9,
            clip=tail_m,
        )
    # body
    shaded_ellipse(im, (236, 168, 404, 346), (252, 176, 100), orange_dark, focus=(0.4, 0.25))
    body_m = mask_of("ellipse", (236, 168, 404, 346))
    for k, y in enumerate((214, 240, 266)):
        for sx in (-1, 1):
            x = 320 + sx * 78
            shape(
                im,
                "polygon",
                [(x, y - 6), (x - sx * 34, y + 2 + k * 2), (x, y + 8)],
                (*stripe, 255),
                clip=body_m,
                opacity=0.85,
            )
    shaded_ellipse(im, (282, 206, 358, 338), cream, (236, 204, 170), focus=(0.45, 0.3))  # belly
    # paws
    for px in (292, 348):
        shaded_ellipse(im, (px - 20, 318, px + 20, 344), cream, (226, 196, 164), focus=(0.5, 0.3))
        for d in (-7, 0, 7):
            shape(im, "line", [(px + d, 333), (px + d, 342)], (200, 160, 130, 255), width=1.2)
    # ears
    for sx in (-1, 1):
        bx = 320 + sx * 56
        shape(
            im,
            "polygon",
            [(bx - sx * 2, 98), (bx + sx * 14, 28), (bx - sx * 40, 70)],
            (*orange, 255),
        )
        shape(
            im,
            "polygon",
            [(bx - sx * 6, 90), (bx + sx * 10, 42), (bx - sx * 30, 72)],
            (246, 168, 176, 255),
        )
    # head
    shaded_ellipse(im, (238, 56, 402, 206), (254, 184, 110), orange_dark, focus=(0.4, 0.3))
    head_m = mask_of("ellipse", (238, 56, 402, 206))
    # forehead stripes
    for dx, ln in ((-16, 34), (0, 42), (16, 34)):
        shape(
            im,
            "polygon",
            [(320 + dx - 4.5, 60), (320 + dx + 4.5, 60), (320 + dx * 1.15, 60 + ln)],
            (*stripe, 255),
            clip=head_m,
        )
    # muzzle
    for sx in (-1, 1):
        shaded_ellipse(
            im,
            (320 + sx * 15 - 19, 146, 320 + sx * 15 + 19, 178),
            cream,
            (240, 212, 180),
            focus=(0.5, 0.3),
        )
    shape(im, "ellipse", (306, 168, 334, 186), (*cream, 255))  # chin
    # eyes
    for sx in (-1, 1):
        ex, ey = 320 + sx * 36, 118
        box = (ex - 17, ey - 15, ex + 17, ey + 15)
        shape(im, "ellipse", (box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2), (70, 40, 20, 255))
        shaded_ellipse(im, box, (196, 232, 120), (78, 150, 60), focus=(0.5, 0.75))
        shape(im, "ellipse", (ex - 4.5, ey - 13, ex + 4.5, ey + 13), (16, 16, 20, 255))
        shape(im, "ellipse", (ex - 10, ey - 10, ex - 3, ey - 3), (255, 255, 255, 255))
        shape(im, "ellipse", (ex + 4, ey + 5, ex + 7, ey + 8), (255, 255, 255, 220))
    # nose + mouth
    shape(
        im,
        "polygon",
        path(bezier((310, 143), (314, 139), (326, 139), (330, 143), 8), [(321, 154), (319, 154)]),
        (236, 120, 136, 255),
    )
    for sx in (-1, 1):
        shape(
            im,
            "line",
            bezier((320, 154), (320, 162), (320 + sx * 8, 166), (320 + sx * 13, 160), 10),
            (120, 60, 50, 255),
            width=1.8,
        )
    # whiskers
    for sx in (-1, 1):
        for dy in (-6, 0, 6):
            x0 = 320 + sx * 30
            shape(
                im,
                "line",
                bezier(
                    (x0, 160 + dy / 2),
                    (x0 + sx * 30, 156 + dy),
                    (x0 + sx * 60, 154 + dy * 1.6),
                    (x0 + sx * 86, 158 + dy * 2.4),
                    12,
                ),
                (255, 255, 255, 255),
                width=1.2,
                opacity=0.9,
            )
    return camera(im)


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------


def save_png(img: Image.Image, dest: Path, budget: int = PNG_BUDGET) -> str:
    """Save the best-looking variant that fits the byte budget.

    Full RGB first; then a median-cut palette applied with Floyd-Steinberg
    dithering (smooth gradients, no banding) with fewer and fewer colours;
    last resort undithered palettes (smallest, but gradients band).
    """
    img = img.convert("RGB")

    def dithered(n: int) -> Image.Image:
        pal = img.quantize(colors=n, method=Image.Quantize.MEDIANCUT, kmeans=2)
        return img.quantize(palette=pal, dither=Image.Dither.FLOYDSTEINBERG)

    def flat(n: int) -> Image.Image:  # Image.quantize() without palette= never dithers
        return img.quantize(colors=n, method=Image.Quantize.MEDIANCUT, kmeans=2)

    candidates = [("rgb", lambda: img)]
    candidates += [
        (f"{n} colours, dithered", lambda n=n: dithered(n)) for n in (256, 192, 160, 128, 96, 64)
    ]
    candidates += [(f"{n} colours", lambda n=n: flat(n)) for n in (256, 128, 64)]
    for label, make in candidates:
        buf = io.BytesIO()
        make().save(buf, "PNG", optimize=True)
        data = buf.getvalue()
        if len(data) <= budget or label == candidates[-1][0]:
            dest.write_bytes(data)
            return label
    raise AssertionError("unreachable")


def mp4_top_boxes(path_: Path) -> list[str]:
    boxes = []
    data = path_.read_bytes()
    i = 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        if size == 1:
            size = struct.unpack(">Q", data[i + 8 : i + 16])[0]
        boxes.append(kind.decode("latin-1"))
        if size < 8:
            break
        i += size
    return boxes


def encode_mp4(scene, dur: float, dest: Path, budget: int = MP4_BUDGET) -> int:
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    nframes = round(dur * FPS)
    frames = [scene.frame(i / nframes, dur).tobytes() for i in range(nframes)]
    crf = 20
    while True:
        cmd = [
            ffmpeg,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            f"{W}x{H}",
            "-r",
            str(FPS),
            "-i",
            "-",
            "-an",
            "-c:v",
            "libx264",
            "-profile:v",
            "main",
            "-level",
            "3.0",
            "-pix_fmt",
            "yuv420p",
            "-preset",
            "slow",
            "-crf",
            str(crf),
            "-g",
            str(FPS * 2),
            "-threads",
            "1",
            "-movflags",
            "+faststart",
            "-map_metadata",
            "-1",
            "-fflags",
            "+bitexact",
            str(dest),
        ]
        subprocess.run(cmd, input=b"".join(frames), check=True)  # noqa: S603 (fixed argv)
        size = dest.stat().st_size
        if size <= budget or crf >= 40:
            break
        crf += 3
    boxes = mp4_top_boxes(dest)
    if "moov" not in boxes or "mdat" not in boxes or boxes.index("moov") > boxes.index("mdat"):
        raise SystemExit(f"{dest}: moov atom is not before mdat: {boxes}")
    return crf


RESULT_IMAGE_SIZE = (384, 216)
RESULT_IMAGE_BUDGET = 30_000
AUDIO_RATE = 8_000


def restyled(img: Image.Image, style: int) -> Image.Image:
    """A scene as an image kind might return it: mirrored, recoloured, posterised."""
    img = img.convert("RGB").resize(RESULT_IMAGE_SIZE, Image.LANCZOS)
    if style == 0:  # warm, mirrored portrait
        img = ImageOps.mirror(img)
        return Image.merge(
            "RGB",
            [
                b.point(lambda v, k=k: min(255, int(v * k)))
                for b, k in zip(img.split(), (1.12, 1.0, 0.85), strict=True)
            ],
        )
    if style == 1:  # the sneaker in another colourway (hue rotated)
        h, s_, v = img.convert("HSV").split()
        return Image.merge("HSV", (h.point(lambda x: (x + 110) % 256), s_, v)).convert("RGB")
    if style == 2:  # the lake at night
        img = ImageEnhance.Brightness(img).enhance(0.55)
        r, g, b = img.split()
        return Image.merge(
            "RGB", (r.point(lambda v: int(v * 0.7)), g, b.point(lambda v: min(255, int(v * 1.3))))
        )
    return ImageOps.posterize(ImageOps.mirror(img), 3)  # a poster-style cat


def write_chime(dest: Path, seconds: float = 2.0) -> None:
    """Three decaying sine notes (C5, E5, G5) as 16-bit mono PCM WAV."""
    frames = bytearray()
    notes = (523.25, 659.25, 783.99)
    for n in range(int(AUDIO_RATE * seconds)):
        t = n / AUDIO_RATE
        value = 0.0
        for i, freq in enumerate(notes):
            start = i * 0.45
            if t >= start:
                value += math.sin(2 * math.pi * freq * (t - start)) * math.exp(-3.0 * (t - start))
        frames += struct.pack("<h", int(max(-1.0, min(1.0, value / 2)) * 30_000))
    with wave.open(str(dest), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(AUDIO_RATE)
        out.writeframes(bytes(frames))


def make_results(out: Path, portrait, sneaker, landscape) -> None:
    """The image kinds' results and the voice kinds' audio."""
    scenes = [
        portrait.frame(1.6, 3.0),
        sneaker.frame(1.1, 3.0, squash_k=0.0),
        landscape.frame(2.5, 4.0),
        draw_cat(),
    ]
    for i, img in enumerate(scenes, 1):
        dest = out / f"image-{i}.png"
        how = save_png(restyled(img, i - 1), dest, RESULT_IMAGE_BUDGET)
        print(f"{dest.name}: {dest.stat().st_size:>7} bytes ({how})")
    dest = out / "audio-1.wav"
    write_chime(dest)
    print(f"{dest.name}: {dest.stat().st_size:>7} bytes (pcm 16-bit, {AUDIO_RATE} Hz)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "static" / "demo"
    )
    ap.add_argument(
        "--only", choices=["images", "videos", "results"], help="generate just one kind"
    )
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    portrait, sneaker, landscape = Portrait(), Sneaker(), Landscape()
    if args.only in (None, "results"):
        make_results(out, portrait, sneaker, landscape)
    if args.only not in ("videos", "results"):
        stills = [
            portrait.frame(0.0, 3.0),
            sneaker.frame(0.0, 3.0, squash_k=0.0),
            landscape.frame(0.0, 4.0),
            draw_cat(),
        ]
        for i, img in enumerate(stills, 1):
            dest = out / f"source-{i}.png"
            how = save_png(img, dest)
            print(f"{dest.name}: {dest.stat().st_size:>7} bytes ({how})")
    if args.only not in ("images", "results"):
        for i, (scene, dur) in enumerate(((portrait, 3.0), (sneaker, 3.0), (landscape, 4.0)), 1):
            dest = out / f"result-{i}.mp4"
            crf = encode_mp4(scene, dur, dest)
            size = dest.stat().st_size
            print(f"{dest.name}: {size:>7} bytes (h264 main, {dur:g}s @ {FPS}fps, crf {crf})")
    bad = [p.name for p in out.glob("source-*.png") if p.stat().st_size > PNG_BUDGET]
    bad += [p.name for p in out.glob("result-*.mp4") if p.stat().st_size > MP4_BUDGET]
    bad += [p.name for p in out.glob("image-*.png") if p.stat().st_size > RESULT_IMAGE_BUDGET]
    if bad:
        print("over budget:", ", ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
