"""Accounts: passwords, sessions, API tokens and provisioning."""
