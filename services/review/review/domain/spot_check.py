"""Year-end spot check (集中抽查, domain.md §5.8): a random sample of the year's registered
enterprises — by default 10%, at least one per agency that registered any — drawn
reproducibly: the same seed and the same registered set give the same sample."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Registered:
    number: str
    agency: str


def sample_size(population: int, ratio: Decimal) -> int:
    """⌈population × ratio⌉: a 10% sample of 15 is 2, never 1."""
    return min(population, math.ceil(Decimal(population) * ratio))


def draw_sample(
    registered: Sequence[Registered], ratio: Decimal, minimum_per_agency: int, seed: str
) -> list[Registered]:
    """The sample, sorted by number.

    Deterministic: the population is put in number order, shuffled by a generator seeded
    with `seed`, and read from the front; agencies short of their minimum then take their
    next members in that same shuffled order.
    """
    ordered = sorted(registered, key=lambda r: r.number)
    shuffled = list(ordered)
    random.Random(seed).shuffle(shuffled)
    chosen = shuffled[: sample_size(len(ordered), ratio)]
    picked = {r.number for r in chosen}
    per_agency: dict[str, int] = {}
    for r in chosen:
        per_agency[r.agency] = per_agency.get(r.agency, 0) + 1
    for r in shuffled:
        if r.number not in picked and per_agency.get(r.agency, 0) < minimum_per_agency:
            chosen.append(r)
            picked.add(r.number)
            per_agency[r.agency] = per_agency.get(r.agency, 0) + 1
    return sorted(chosen, key=lambda r: r.number)
