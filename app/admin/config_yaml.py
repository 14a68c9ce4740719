"""Reading a configuration file so that every problem can name its line.

PyYAML's `safe_load` forgets where a value came from. Here the file is composed into
PyYAML's node tree (which keeps a start mark on every node), built into plain Python data
by hand, and every mapping key and sequence item is remembered with its line. A validation
error's location (`("models", 2, "temperature")`) is then looked up in that table; a
missing field falls back to the line of the entry that lacks it.

Also refused here, with their line: duplicate keys (PyYAML silently keeps the last one, so
`default_model` written twice would pass unnoticed), non-scalar keys, and files whose
aliases would expand into more values than any real configuration has.

Messages never quote the file's values: a line may hold something secret by mistake.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]

# Far beyond any real configuration; stops "billion laughs" alias bombs.
MAX_VALUES = 50_000
# libyaml's parser where PyYAML was built with it: ten times faster, the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (line, dotted path) and what, without the value."""

    line: int
    path: str
    message: str

    def format(self, source: str) -> str:
        where = f"{source}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigFileInvalid(Exception):
    """The file cannot be used; `problems` lists each with its line."""

    def __init__(self, problems: list[Problem], source: str = "config.yaml") -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.path))
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [problem.format(self.source) for problem in self.problems]


def format_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class LineMap:
    """The line of every mapping key and sequence item, by its path in the data."""

    def __init__(self) -> None:
        self._lines: dict[Path, int] = {(): 1}

    def record(self, path: Path, line: int) -> None:
        self._lines.setdefault(path, line)

    def line_of(self, path: Path) -> int:
        """The line of the deepest known part of `path` (a missing key: its parent's line)."""
        for end in range(len(path), -1, -1):
            line = self._lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


class _Builder:
    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.lines = LineMap()
        self.problems: list[Problem] = []
        self.count = 0

    def build(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooLarge(node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            result = []
            for index, item in enumerate(node.value):
                self.lines.record(path + (index,), item.start_mark.line + 1)
                result.append(self.build(item, path + (index,)))
            return result
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: MappingNode, path: Path) -> dict:
        self.loader.flatten_mapping(node)  # resolves `<<: *defaults` merge keys
        result: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                self.problems.append(Problem(line, format_path(path), "a key must be a plain word, not a list or mapping"))
                continue
            key = self.loader.construct_object(key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.problems.append(Problem(line, format_path(path), "a key must be a plain word"))
                continue
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                self.problems.append(Problem(line, format_path(path + (key,)),
                                             f"duplicate key (first on line {first_line[key]})"))
                continue
            first_line[key] = line
            self.lines.record(path + (key,), line)
            result[key] = self.build(value_node, path + (key,))
        return result


class _TooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def load(text: str, source: str = "config.yaml") -> tuple[Any, LineMap]:
    """The file's data and its line map; raises ConfigFileInvalid on syntax errors."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise ConfigFileInvalid([_syntax_problem(exc)], source) from None
        except yaml.YAMLError:
            raise ConfigFileInvalid([Problem(1, "", "not a readable YAML file")], source) from None
        if node is None:
            return None, LineMap()
        builder = _Builder(loader)
        try:
            data = builder.build(node, ())
        except _TooLarge as exc:
            raise ConfigFileInvalid([Problem(exc.line, "", "the file expands into too many values "
                                                          "(aliases?); please write it out plainly")], source) from None
        except yaml.MarkedYAMLError as exc:  # e.g. an unknown tag such as !!python/object
            raise ConfigFileInvalid([_syntax_problem(exc)], source) from None
        if builder.problems:
            raise ConfigFileInvalid(builder.problems, source)
        return data, builder.lines
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    """Line and column with PyYAML's description of the problem, never its excerpt of the line."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = f", column {mark.column + 1}" if mark else ""
    what = "; ".join(part for part in (exc.context, exc.problem) if part)
    return Problem(line, "", f"YAML syntax error{column}: {what or 'cannot be read'}")
