from pathlib import Path

from shared.platform.web.serve import main
from supervision.config import SERVICE, get_settings

main(
    service=SERVICE,
    app_factory="supervision.bootstrap:create_app",
    migrations_dir=Path(__file__).resolve().parent / "migrations",
    settings_factory=get_settings,
)
