"""Tests of the notices app (a package, so its conftest does not shadow tests/platform/conftest)."""
