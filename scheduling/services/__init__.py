"""Every write of the scheduling app. Split by subject; the public names are re-exported here
so other apps write `from scheduling.services import coverage_gaps`."""

from scheduling.services.catalogue import *  # noqa: F403
from scheduling.services.rota import *  # noqa: F403
from scheduling.services.rota import (  # noqa: F401
    CoverageGap,
    coverage_gaps,
    coverage_gaps_for_teams,
)
from scheduling.services.visits import *  # noqa: F403
from scheduling.services.visits import visit_log, visit_schedule  # noqa: F401
