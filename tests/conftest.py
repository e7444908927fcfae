"""Test configuration: hypothesis runs derandomized (the same examples every run, no example
database), so CI is reproducible; HYPOTHESIS_PROFILE=explore draws fresh examples."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "explore",
    derandomize=False,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
