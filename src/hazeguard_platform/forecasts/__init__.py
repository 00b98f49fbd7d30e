"""Forecasts (7-day AQI ranges) and consultations (会商) with the engine's decision beside them."""
