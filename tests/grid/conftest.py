import pytest

from linli.core.scoping import SYSTEM
from linli.grid import services
from linli.grid.models import Boundary, Category

# A square around 117.20E 39.12N (Tianjin Heping) for grid A1.
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[117.19, 39.11], [117.21, 39.11], [117.21, 39.13], [117.19, 39.13], [117.19, 39.11]]
    ],
}


@pytest.fixture
def gw(world):
    """The test world with grid defaults (which transactional tests truncate), a boundary for
    grid A1 and grid workers' public cards."""
    services.defaults_ensure()
    Boundary.objects.create(grid=world.units["gA1"], geojson=SQUARE)
    services.worker_save(
        actor=SYSTEM,
        user=world.users["grid_a1"],
        grid=world.units["gA1"],
        name="王网格",
        phone="13900000001",
        party_member=True,
        pledge_promise="有事找我，24小时内上门",
    )
    world.category = Category.objects.get(code="repair")
    return world


def report(w, actor_name="resident_a1", building="A1", **kw):
    return services.event_report(
        actor=w.actor(actor_name),
        title=kw.pop("title", "楼道灯坏了"),
        description=kw.pop("description", "3楼楼道灯不亮，晚上看不见"),
        category=kw.pop("category", w.category),
        building=w.buildings[building] if building else None,
        **kw,
    )
