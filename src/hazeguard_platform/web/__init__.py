"""Staff pages: sign-in, dashboards, forecasts, consultations and the warning workflow."""
