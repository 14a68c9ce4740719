"""Spielraum's web application: settings, storage, accounts, routes and the command line."""
