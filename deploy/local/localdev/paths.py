"""Where local state lives: everything under `.local/` in the repository (git-ignored)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
LOCAL_DIR = Path(os.environ.get("SME_LOCAL_DIR", REPO_ROOT / ".local"))
DEPLOY_LOCAL = REPO_ROOT / "deploy" / "local"

SERVICES = ("intake", "review", "supervision", "tracking")


def ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
