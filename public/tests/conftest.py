import pytest

from results.tests.published import SHARES, extra_units, finalise, make_cycle


@pytest.fixture
def cycle_units(unit_a, unit_b):
    return [unit_a, unit_b, *extra_units()]


@pytest.fixture
def finalised_cycle(secretariat, cycle_units):
    """Cycle 2025 finalised and computed, not published."""
    return finalise(secretariat, make_cycle(secretariat, 2025, cycle_units), SHARES)


@pytest.fixture
def published_cycle(secretariat, finalised_cycle):
    """Cycle 2025 published (version 1)."""
    from results.services import publish

    publish(secretariat, finalised_cycle)
    finalised_cycle.refresh_from_db()
    return finalised_cycle


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached (the test cache is per process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
