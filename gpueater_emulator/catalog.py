"""The seeded catalog: products, OS images, regions and monthly plans.

Names and prices follow what the service's published clients showed (api-notes.md). The
products and the image the service README's examples use (`a1.rx580`, `Ubuntu16.04 x64`) are
in stock; `n1.p4000` is out of stock (empty pool) and `a1.vegafe` is `limited`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CATALOG", "Catalog", "OsImage", "Plan", "Product"]


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    cpu: int
    memory_mb: int
    root_storage_gb: int
    price_per_hour: float
    device_desc: str
    # "amd" or "nvidia": a GPU-driver image only boots on its vendor's GPU.
    vendor: str
    pool: tuple[str, ...]
    limited: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "cpu": self.cpu,
            "memory": self.memory_mb,
            "root_storage": self.root_storage_gb,
            "price": self.price_per_hour,
            "device_desc": self.device_desc,
            "pool": list(self.pool),
            "limited": self.limited,
        }


@dataclass(frozen=True)
class OsImage:
    key: str
    name: str
    alias: str
    description: str
    # None: boots anywhere; otherwise the GPU vendor whose driver the image carries.
    vendor: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "alias": self.alias,
            "description": self.description,
            "user_defined": False,
        }


@dataclass(frozen=True)
class Plan:
    plan_id: str
    kind: str
    name: str
    price_per_month: float
    description: str
    product_id: str | None = None
    size_gb: int | None = None

    def as_json(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "plan_id": self.plan_id,
            "kind": self.kind,
            "name": self.name,
            "price_per_month": self.price_per_month,
            "description": self.description,
        }
        if self.product_id is not None:
            described["product_id"] = self.product_id
        if self.size_gb is not None:
            described["size"] = self.size_gb
        return described


@dataclass(frozen=True)
class Catalog:
    products: tuple[Product, ...]
    images: tuple[OsImage, ...]
    plans: tuple[Plan, ...]
    regions: tuple[str, ...]

    def product(self, product_id: str) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def image(self, alias: str) -> OsImage | None:
        return next((i for i in self.images if i.alias == alias), None)

    def plan(self, plan_id: str) -> Plan | None:
        return next((p for p in self.plans if p.plan_id == plan_id), None)

    def plans_of_kind(self, kind: str) -> list[Plan]:
        return [plan for plan in self.plans if plan.kind == kind]


_TOKYO, _OSAKA = "tokyo-1", "osaka-1"

CATALOG = Catalog(
    products=(
        Product("1", "n1.p400", 2, 8192, 40, 0.0992, "NVIDIA Quadro P400", "nvidia", (_TOKYO,)),
        Product("2", "n1.p600", 2, 8192, 40, 0.1488, "NVIDIA Quadro P600", "nvidia", (_TOKYO,)),
        Product(
            "3", "a1.rx580", 4, 16384, 80, 0.3968, "AMD Radeon RX 580", "amd", (_TOKYO, _OSAKA)
        ),
        Product(
            "4", "n1.p1000", 4, 16384, 80, 0.2976, "NVIDIA Quadro P1000", "nvidia", (_TOKYO, _OSAKA)
        ),
        Product("5", "a1.vega56", 8, 32768, 160, 0.5952, "AMD Radeon RX Vega 56", "amd", (_OSAKA,)),
        Product(
            "6",
            "a1.vegafe",
            8,
            65536,
            240,
            0.7936,
            "AMD Radeon Vega Frontier Edition",
            "amd",
            (_TOKYO,),
            limited=True,
        ),
        Product("7", "n1.p4000", 8, 32768, 160, 0.6944, "NVIDIA Quadro P4000", "nvidia", ()),
    ),
    images=(
        OsImage("os-ubuntu1604", "Ubuntu16.04 x64", "ubuntu-16.04-x64", "Ubuntu 16.04 LTS"),
        OsImage("os-ubuntu1804", "Ubuntu18.04 x64", "ubuntu-18.04-x64", "Ubuntu 18.04 LTS"),
        OsImage("os-centos7", "CentOS7 x64", "centos-7-x64", "CentOS 7"),
        OsImage(
            "os-rocm-tf",
            "AMD-ROCm1.9.224+TensorFlow1.10 Ubuntu16.04 x64",
            "rocm-1.9.224-tensorflow-1.10-ubuntu-16.04-x64",
            "ROCm 1.9.224 and TensorFlow 1.10 on Ubuntu 16.04",
            vendor="amd",
        ),
        OsImage(
            "os-cuda9",
            "NVIDIA-410.48+CUDA9.0 Ubuntu16.04 x64",
            "nvidia-410.48-cuda-9.0-ubuntu-16.04-x64",
            "NVIDIA driver 410.48 and CUDA 9.0 on Ubuntu 16.04",
            vendor="nvidia",
        ),
    ),
    plans=(
        Plan("plan-i-1", "instance", "a1.rx580 monthly", 199.0, "One RX 580 instance", "3"),
        Plan("plan-i-2", "instance", "n1.p1000 monthly", 149.0, "One P1000 instance", "4"),
        Plan("plan-s-1", "storage", "1 TB SSD monthly", 50.0, "1 TB of SSD volumes", size_gb=1000),
        Plan("plan-n-1", "network", "Static IPv4 monthly", 10.0, "One static IPv4 address"),
    ),
    regions=(_TOKYO, _OSAKA),
)
