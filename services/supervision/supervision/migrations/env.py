from shared.platform.db.alembic_env import run
from supervision.adapters.tables import metadata

run(metadata)
