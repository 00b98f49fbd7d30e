"""People, their roles per jurisdiction, and sign-in throttling."""
