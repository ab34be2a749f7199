"""The rate book (format ``mesa-ratebook/1``) as plain, immutable data.

Parsing is strict: every price is a string holding a Decimal, and anything the
format does not define is refused with the schedule and field named.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import yaml

FORMAT = "mesa-ratebook/1"
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "ratebook.yaml"
COMPONENT_TYPES = {"fixed", "per_unit", "tiered", "discount", "usage_credit", "tax"}
BASES = {"usage", "winter_average_capped", "usage_percent", "acres"}


class RateBookError(ValueError):
    pass


@dataclass(frozen=True)
class Block:
    upto: Decimal | None
    price: Decimal


@dataclass(frozen=True)
class Component:
    type: str
    name: str
    amount: Decimal | None = None
    by_meter_size: dict[str, Decimal] | None = None
    by_service: dict[str, Decimal] | None = None
    per: str | None = None
    basis: str | None = None
    price: Decimal | None = None
    percent: Decimal | None = None
    blocks: tuple[Block, ...] = ()
    season: str | None = None
    months: tuple[int, ...] | None = None
    program: str | None = None
    of: str | None = None
    units: Decimal | None = None


@dataclass(frozen=True)
class Version:
    effective: date
    components: tuple[Component, ...]


@dataclass(frozen=True)
class Schedule:
    code: str
    name: str
    utility: str
    customer_class: str
    unit: str
    versions: tuple[Version, ...]
    default_winter_average: Decimal | None = None


@dataclass(frozen=True)
class RateBook:
    seasons: dict[int, str]
    meter_sizes: tuple[str, ...]
    schedules: dict[str, Schedule] = field(default_factory=dict)
    timezone: str = "America/Phoenix"

    def season_of(self, month: int) -> str | None:
        return self.seasons.get(month)


def _decimal(value, where: str) -> Decimal:
    if isinstance(value, float):
        raise RateBookError(f"{where}: write money as a quoted string, not a bare number")
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise RateBookError(f"{where}: {value!r} is not a decimal number") from exc


def _component(raw: dict, where: str) -> Component:
    kind = raw.get("type")
    if kind not in COMPONENT_TYPES:
        raise RateBookError(f"{where}: unknown component type {kind!r}")
    if not raw.get("name"):
        raise RateBookError(f"{where}: every component needs a name")
    where = f"{where} {raw['name']!r}"

    def dec(key):
        return _decimal(raw[key], f"{where} {key}") if raw.get(key) is not None else None

    def table(key):
        if raw.get(key) is None:
            return None
        return {str(k): _decimal(v, f"{where} {key}[{k}]") for k, v in raw[key].items()}

    blocks = tuple(
        Block(
            upto=_decimal(b["upto"], f"{where} block upto") if b.get("upto") is not None else None,
            price=_decimal(b["price"], f"{where} block price"),
        )
        for b in raw.get("blocks") or ()
    )
    component = Component(
        type=kind,
        name=raw["name"],
        amount=dec("amount"),
        by_meter_size=table("by_meter_size"),
        by_service=table("by_service"),
        per=raw.get("per"),
        basis=raw.get("basis"),
        price=dec("price"),
        percent=dec("percent"),
        blocks=blocks,
        season=raw.get("season"),
        months=tuple(int(m) for m in raw["months"]) if raw.get("months") else None,
        program=raw.get("program"),
        of=raw.get("of"),
        units=dec("units"),
    )
    _check(component, where)
    return component


def _check(c: Component, where: str) -> None:
    problems = []
    if c.type == "fixed" and [c.amount, c.by_meter_size, c.by_service].count(None) != 2:
        problems.append("a fixed charge needs exactly one of amount, by_meter_size, by_service")
    if c.type == "per_unit" and (c.basis not in BASES or c.price is None):
        problems.append(f"a per-unit charge needs a price and a basis among {sorted(BASES)}")
    if c.type == "per_unit" and c.basis == "usage_percent" and c.percent is None:
        problems.append("basis usage_percent needs a percent")
    if c.type == "tiered":
        if not c.blocks or c.blocks[-1].upto is not None:
            problems.append("tiered blocks must end with an open block (upto: null)")
        uptos = [b.upto for b in c.blocks[:-1]]
        if any(u is None for u in uptos) or uptos != sorted(uptos):
            problems.append("tiered block limits must rise")
    if c.type in {"discount", "tax"} and c.percent is None:
        problems.append(f"a {c.type} needs a percent")
    if c.type in {"discount", "usage_credit"} and not c.of:
        problems.append(f"a {c.type} needs `of`")
    if c.type == "usage_credit" and c.units is None:
        problems.append("a usage credit needs units")
    if c.per not in (None, "container"):
        problems.append(f"unknown per {c.per!r}")
    if problems:
        raise RateBookError(f"{where}: {'; '.join(problems)}")


def parse_ratebook(data: dict) -> RateBook:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RateBookError(
            f"not a {FORMAT} file (format: {data.get('format') if isinstance(data, dict) else None!r})"
        )
    seasons = {}
    for season, months in (data.get("seasons") or {}).items():
        for month in months:
            seasons[int(month)] = season
    schedules = {}
    for raw in data.get("schedules") or ():
        code = raw.get("code")
        if not code:
            raise RateBookError("a schedule has no code")
        if code in schedules:
            raise RateBookError(f"schedule {code} appears twice")
        versions = []
        for raw_version in raw.get("versions") or ():
            try:
                effective = date.fromisoformat(str(raw_version["effective"]))
            except (KeyError, ValueError) as exc:
                raise RateBookError(
                    f"{code}: a version needs an effective date YYYY-MM-DD"
                ) from exc
            where = f"{code} version {effective}"
            versions.append(
                Version(
                    effective=effective,
                    components=tuple(
                        _component(c, where) for c in raw_version.get("components") or ()
                    ),
                )
            )
        if not versions:
            raise RateBookError(f"{code}: no versions")
        versions.sort(key=lambda v: v.effective)
        if len({v.effective for v in versions}) != len(versions):
            raise RateBookError(f"{code}: two versions share an effective date")
        dwa = raw.get("default_winter_average")
        schedules[code] = Schedule(
            code=code,
            name=raw.get("name", code),
            utility=raw.get("utility", ""),
            customer_class=raw.get("customer_class", ""),
            unit=raw.get("unit", ""),
            versions=tuple(versions),
            default_winter_average=_decimal(dwa, f"{code} default_winter_average")
            if dwa is not None
            else None,
        )
    return RateBook(
        seasons=seasons,
        meter_sizes=tuple(str(s) for s in data.get("meter_sizes") or ()),
        schedules=schedules,
        timezone=data.get("timezone", "America/Phoenix"),
    )


def load_ratebook_file(path: Path | str) -> RateBook:
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise RateBookError(f"{path}: not valid YAML ({exc})") from exc
    return parse_ratebook(data)


@lru_cache(maxsize=1)
def shipped_ratebook() -> RateBook:
    return load_ratebook_file(SHIPPED)


def _text(value: Decimal) -> str:
    return format(value, "f")


def component_spec(component: Component) -> dict:
    """The mesa-ratebook/1 mapping of a component (decimals as strings)."""
    spec: dict = {"type": component.type, "name": component.name}
    for key in ("season", "program", "of", "per", "basis"):
        value = getattr(component, key)
        if value is not None:
            spec[key] = value
    if component.months is not None:
        spec["months"] = list(component.months)
    for key in ("amount", "price", "percent", "units"):
        value = getattr(component, key)
        if value is not None:
            spec[key] = _text(value)
    for key in ("by_meter_size", "by_service"):
        table = getattr(component, key)
        if table is not None:
            spec[key] = {k: _text(v) for k, v in table.items()}
    if component.blocks:
        spec["blocks"] = [
            {"upto": _text(b.upto) if b.upto is not None else None, "price": _text(b.price)}
            for b in component.blocks
        ]
    return spec


def ratebook_to_data(book: RateBook) -> dict:
    """The whole book as a mesa-ratebook/1 mapping, ready for YAML."""
    seasons: dict[str, list[int]] = {}
    for month, season in sorted(book.seasons.items()):
        seasons.setdefault(season, []).append(month)
    schedules = []
    for schedule in book.schedules.values():
        item = {
            "code": schedule.code,
            "name": schedule.name,
            "utility": schedule.utility,
            "customer_class": schedule.customer_class,
            "unit": schedule.unit,
        }
        if schedule.default_winter_average is not None:
            item["default_winter_average"] = _text(schedule.default_winter_average)
        item["versions"] = [
            {
                "effective": version.effective.isoformat(),
                "components": [component_spec(c) for c in version.components],
            }
            for version in schedule.versions
        ]
        schedules.append(item)
    return {
        "format": FORMAT,
        "timezone": book.timezone,
        "seasons": seasons,
        "meter_sizes": list(book.meter_sizes),
        "schedules": schedules,
    }


def parse_component_spec(spec: dict, where: str) -> Component:
    """Validate one component mapping (used by admin and by loading from the DB)."""
    return _component(spec, where)


def with_version(book: RateBook, code: str, version: Version) -> RateBook:
    """The book with ``version`` in schedule ``code``, in place of the version
    of the same effective date if there is one: what the book would price if
    a draft (or an edited version) were in force. Used to preview a change."""
    schedule = book.schedules[code]
    versions = [v for v in schedule.versions if v.effective != version.effective]
    versions = tuple(sorted([*versions, version], key=lambda v: v.effective))
    schedules = {**book.schedules, code: replace(schedule, versions=versions)}
    return replace(book, schedules=schedules)
