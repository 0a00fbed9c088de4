"""Widgets the screens are built of; they never call the backend themselves."""
