from shared.platform.db.alembic_env import run
from tracking.adapters.tables import metadata

run(metadata)
