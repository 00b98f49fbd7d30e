"""Jurisdictions as a tree (province → city → county), their plan versions and member units."""
