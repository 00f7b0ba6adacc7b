"""Draw the dashboard's page icon, static/favicon.png: a play sign on the theme's violet.

A local file, so the browser fetches no icon font from elsewhere. Run once:
``.venv/bin/python scripts/make_favicon.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 64
VIOLET = (109, 74, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "static" / "favicon.png"


def main() -> None:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((2, 2, SIZE - 3, SIZE - 3), radius=14, fill=VIOLET)
    draw.polygon([(24, 17), (24, 47), (49, 32)], fill=(255, 255, 255, 255))
    image.save(OUT)


if __name__ == "__main__":
    main()
