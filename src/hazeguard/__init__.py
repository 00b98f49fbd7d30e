"""HazeGuard: run a heavy-pollution-weather emergency plan end to end.

The core (this package) is pure and framework-free: the AQI of HJ 633, plans as data, the warning
engine, reduction accounting and compliance. The platform sits on top of it.
"""

__version__ = "0.1.0"
