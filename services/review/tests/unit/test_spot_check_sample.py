"""The spot-check sample (集中抽查, domain.md §5.8): reproducible from its seed, 10% by
default, at least one per agency that registered any."""

from __future__ import annotations

from decimal import Decimal

from review.domain.spot_check import Registered, draw_sample, sample_size

AGENCIES = ["150100", "150200", "150781", "152501", "htz-baotou"]


def _population() -> list[Registered]:
    # 90 in Hohhot, 10 in Baotou, one each in the smaller places.
    population = [Registered(f"2026150105A{i:07d}", "150100") for i in range(1, 91)]
    population += [Registered(f"2026150203A{i:07d}", "150200") for i in range(91, 101)]
    population += [
        Registered("2026150781A0000101", "150781"),
        Registered("2026152501A0000102", "152501"),
        Registered("2026150203A0000103", "htz-baotou"),
    ]
    return population


def test_the_same_seed_draws_the_same_sample_whatever_the_input_order() -> None:
    population = _population()
    first = draw_sample(population, Decimal("0.10"), 1, "seed-2026")
    again = draw_sample(list(reversed(population)), Decimal("0.10"), 1, "seed-2026")
    assert first == again


def test_another_seed_draws_another_sample() -> None:
    population = _population()
    assert draw_sample(population, Decimal("0.10"), 1, "a") != draw_sample(
        population, Decimal("0.10"), 1, "b"
    )


def test_every_agency_with_registrations_is_sampled_at_least_once() -> None:
    sample = draw_sample(_population(), Decimal("0.10"), 1, "seed-2026")
    assert {r.agency for r in sample} == set(AGENCIES)


def test_the_sample_is_ten_percent_rounded_up_plus_the_agency_minimum() -> None:
    population = _population()  # 103 → 11 at 10%
    assert sample_size(len(population), Decimal("0.10")) == 11
    sample = draw_sample(population, Decimal("0.10"), 1, "seed-2026")
    assert 11 <= len(sample) <= 11 + len(AGENCIES)
    assert len({r.number for r in sample}) == len(sample)


def test_a_full_ratio_samples_everyone() -> None:
    population = _population()
    assert len(draw_sample(population, Decimal("1"), 1, "x")) == len(population)


def test_without_a_minimum_only_the_ratio_counts() -> None:
    assert len(draw_sample(_population(), Decimal("0.05"), 0, "x")) == 6
