"""The organisation's colour as a small stylesheet (served at /theme.css)."""


def darker(colour: str, share: float = 0.28) -> str:
    """`colour` (#rrggbb) mixed with `share` of black: the menu bar under the header."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - share)):02x}" for c in (red, green, blue))


def theme_css(colour: str) -> str:
    return (
        "/* ORGANISATION_COLOUR (docs/configuration.md) */\n"
        f":root {{ --org-colour: {colour}; --org-colour-dark: {darker(colour)}; }}\n"
    )
