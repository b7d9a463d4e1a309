"""facilitate: a terminal meeting facilitator for multi-agency task forces."""

__version__ = "0.1.0"
