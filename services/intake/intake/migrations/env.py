from intake.adapters.tables import metadata
from shared.platform.db.alembic_env import run

run(metadata)
