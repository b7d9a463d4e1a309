"""facilitate: a terminal meeting facilitator for multi-agency task forces."""

from . import _deferred

__version__ = "0.1.0"

_deferred.install()  # before anything imports pendulum
