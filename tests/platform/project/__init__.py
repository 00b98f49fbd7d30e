"""Tests of the project around the apps: settings and setup, serve and the CLI, backup and restore,
the shared upload copy, operator commands and the admin, the import graph between the apps."""
