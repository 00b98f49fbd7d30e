"""Live monitoring data: one checked path for hourly station rows, plausibility checks, the
city's values per HJ 663 and the windows an arriving hour changes."""
