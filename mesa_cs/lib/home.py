"""The tiles of the home page, registered by the apps that own their figures.

The home page (``/``) starts each role's day with a few counts, each a link
to the list it counts. The core imports no section app: a section app
registers its tiles here from its AppConfig.ready() (e.g. ``billing/home.py``),
and the home view shows every tile of each of the user's roles.

A tile's ``figure`` is a selector, ``(request) -> Figure``: one cheap
aggregate query where it can, since the home page is the first page of the
day for everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from mesa_cs.lib.roles import Role, user_roles


@dataclass(frozen=True)
class Part:
    """One line of a tile's breakdown (a reason, a step, a queue)."""

    label: str
    value: int | Decimal | str
    url: str
    money: bool = False


@dataclass(frozen=True)
class Figure:
    """What a tile shows: a count, an amount or a word, and where it leads."""

    value: int | Decimal | str
    url: str
    note: str = ""
    money: bool = False
    parts: tuple[Part, ...] = ()
    # "warning" or "danger" when the figure asks for attention today.
    tone: str = ""

    @property
    def is_word(self) -> bool:
        """A word ("Not open", "Healthy") rather than a count or an amount."""
        return isinstance(self.value, str)


@dataclass(frozen=True)
class Tile:
    name: str
    label: str
    roles: frozenset[Role]
    figure: Callable  # (request) -> Figure
    order: int = 100


_TILES: dict[str, Tile] = {}


def register_tile(tile: Tile) -> None:
    """Register (or replace, by name) a tile."""
    _TILES[tile.name] = tile


def registered_tiles() -> list[Tile]:
    return sorted(_TILES.values(), key=lambda tile: (tile.order, tile.name))


@dataclass
class Shown:
    tile: Tile
    figure: Figure


@dataclass
class RoleTiles:
    role: Role
    tiles: list[Shown] = field(default_factory=list)


def tiles_for(request, tiles: Iterable[Tile] | None = None) -> list[RoleTiles]:
    """The user's tiles grouped by role, in the order of ``Role``; a tile
    that several of the user's roles share is shown (and computed) once,
    under the first of them."""
    roles = user_roles(request.user)
    tiles = registered_tiles() if tiles is None else list(tiles)
    seen: set[str] = set()
    groups = []
    for role in Role:
        if role not in roles:
            continue
        group = RoleTiles(role)
        for tile in tiles:
            if role in tile.roles and tile.name not in seen:
                seen.add(tile.name)
                group.tiles.append(Shown(tile, tile.figure(request)))
        if group.tiles:
            groups.append(group)
    return groups
