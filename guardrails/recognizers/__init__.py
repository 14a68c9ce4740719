"""Discover Spielraum's recognizers from the classes themselves.

Every module under a country package (`de/`, `generic/`, ...) defines recognizer classes
with a class attribute `LANGUAGES`. Adding a recognizer is adding a file: no list to keep
in sync, no `if` chain. One instance is created per supported language, as Presidio expects.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil

from presidio_analyzer import EntityRecognizer

COUNTRY_PACKAGES = ("generic", "de")


def recognizer_classes() -> list[type[EntityRecognizer]]:
    found: list[type[EntityRecognizer]] = []
    for package_name in COUNTRY_PACKAGES:
        package = importlib.import_module(f"{__name__}.{package_name}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (cls.__module__ == module.__name__ and issubclass(cls, EntityRecognizer)
                        and getattr(cls, "LANGUAGES", None)):
                    found.append(cls)
    return sorted(found, key=lambda c: c.__name__)


def build_recognizers(languages: tuple[str, ...]) -> list[EntityRecognizer]:
    return [cls(supported_language=lang)
            for cls in recognizer_classes()
            for lang in cls.LANGUAGES if lang in languages]
