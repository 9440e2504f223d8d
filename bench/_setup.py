"""What the bench scripts that run PetTube do first: make its code importable and set Django up
on the embedded local AWS."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_local_aws(**environment: str) -> None:
    """Set Django up with PETTUBE_AWS=local and `environment` (for example DATABASE_URL)."""
    sys.path.insert(0, str(ROOT))
    os.environ["PETTUBE_AWS"] = "local"
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pettube.settings")
    import django

    django.setup()
