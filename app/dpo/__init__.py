"""The data protection officer's desk: redaction log, flags, statistics, export, retention, audit.

Routes (`routes.py`) read like a table of contents; the rules live in the service modules
next to them; every read and write goes through `app.storage`.
"""
