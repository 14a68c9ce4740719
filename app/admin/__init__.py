"""IT's control room under /admin: models, guard policy, users and groups, configuration as code.

For the `admin` role only. Every change is written to the audit log (`change_log.py`) and
raises the area's configuration version, so every worker picks it up without a restart.
"""
