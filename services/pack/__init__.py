"""The domain pack: what the generic core learns from resources/ about this business."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from services import paths

PACK_FILE = "b2b_food/pack.toml"


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    schema: dict[str, Any]
    description: str = ""
    hot: bool = False
    restricted: bool = False
    derived: bool = False
    checks: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class ActivityKind:
    kind: str
    label: str
    outcomes: tuple[str, ...]
    fields_schema: dict[str, Any]
    sla: dict[str, Any] | None = None
    checks: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    unit: str


@dataclass(frozen=True)
class Kit:
    id: str
    name: str
    is_default: bool
    items: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Workflow:
    """The sample workflow: statuses in their order, and which may follow which."""

    statuses: tuple[str, ...]
    next: dict[str, tuple[str, ...]]

    def allowed_next(self, status: str) -> tuple[str, ...]:
        return self.next.get(status, ())


@dataclass(frozen=True)
class Pack:
    name: str
    regions: tuple[Region, ...]
    contact_roles: dict[str, str]
    fields: tuple[FieldDef, ...]
    activity_kinds: tuple[ActivityKind, ...]
    sample_workflow: Workflow


@cache
def load_pack() -> Pack:
    with open(paths.resources_dir() / PACK_FILE, "rb") as f:
        data = tomllib.load(f)
    workflow = data["sample_workflow"]
    return Pack(
        name=data["name"],
        regions=tuple(Region(r["code"], r["name"]) for r in data["region"]),
        contact_roles=dict(data["contact_roles"]),
        fields=tuple(
            FieldDef(key=f["key"], label=f["label"], schema=f["schema"], description=f.get("description", ""),
                     hot=f.get("hot", False), restricted=f.get("restricted", False), derived=f.get("derived", False),
                     checks=tuple(f.get("checks", ())))
            for f in data["field"]
        ),
        activity_kinds=tuple(
            ActivityKind(kind=k["kind"], label=k["label"], outcomes=tuple(k["outcomes"]),
                         fields_schema=k["fields"], sla=k.get("sla"), checks=tuple(k.get("checks", ())))
            for k in data["activity_kind"]
        ),
        sample_workflow=Workflow(tuple(workflow["statuses"]),
                                 {status: tuple(nxt) for status, nxt in workflow.get("next", {}).items()}),
    )


def rules_file() -> Path:
    """The pack's SQL rules (resources/<pack>/rules.sql), applied with the definitions."""
    return paths.resources_dir() / PACK_FILE.rsplit("/", 1)[0] / "rules.sql"


def reference_files() -> tuple[Path, ...]:
    """The files reference data is synced from."""
    resources = paths.resources_dir()
    return (resources / PACK_FILE, resources / "catalog" / "products.csv", resources / "catalog" / "kits.toml")


@cache
def load_catalog_files() -> tuple[tuple[Product, ...], tuple[Kit, ...]]:
    catalog = paths.resources_dir() / "catalog"
    with open(catalog / "products.csv", encoding="utf-8", newline="") as f:
        products = tuple(Product(r["sku"], r["name"], r["category"], r["unit"]) for r in csv.DictReader(f))
    with open(catalog / "kits.toml", "rb") as f:
        kits = tuple(
            Kit(id=k["id"], name=k["name"], is_default=k.get("default", False),
                items=tuple((i["sku"], int(i["quantity"])) for i in k["items"]))
            for k in tomllib.load(f)["kit"]
        )
    return products, kits
