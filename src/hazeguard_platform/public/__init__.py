"""Public pages (no sign-in): warnings in force, latest AQI, history, and the CAP 1.2 feed."""
