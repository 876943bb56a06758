from pathlib import Path

from review.config import SERVICE, get_settings
from shared.platform.web.serve import main

main(
    service=SERVICE,
    app_factory="review.bootstrap:create_app",
    migrations_dir=Path(__file__).resolve().parent / "migrations",
    settings_factory=get_settings,
)
