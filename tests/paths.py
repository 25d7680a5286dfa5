"""Where the tests find ../shared (dev-eval gold, training data): $KG_SHARED, else the folder
beside the checkout, else /work/shared. Tests that need it skip when none exists."""
import os
from pathlib import Path


def _shared() -> Path:
    for candidate in (os.environ.get("KG_SHARED"), Path(__file__).resolve().parents[2] / "shared",
                      "/work/shared"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path(__file__).resolve().parents[2] / "shared"


SHARED = _shared()
