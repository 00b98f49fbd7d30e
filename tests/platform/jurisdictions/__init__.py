"""Tests of the jurisdictions app."""
