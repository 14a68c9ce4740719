"""The control room's sections, in the order of its navigation and overview page."""
from __future__ import annotations

from typing import NamedTuple


class Section(NamedTuple):
    key: str      # i18n key of the title; `<key>_hint` is the one-line description
    href: str


SECTIONS: tuple[Section, ...] = (
    Section("admin_models", "/admin/models"),
    Section("admin_guard", "/admin/guard"),
    Section("admin_users", "/admin/users"),
    Section("admin_groups", "/admin/groups"),
    Section("admin_config", "/admin/config"),
    Section("admin_changes", "/admin/changes"),
)
