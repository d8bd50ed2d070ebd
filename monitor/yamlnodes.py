"""Where a value sits in a YAML file: line numbers from ``yaml.compose`` nodes, keys as dotted paths.

``parse_document`` is the one way the project reads a YAML config or rules file: a single parse
(libyaml's C parser when PyYAML has it), refusing alias expansion bombs before anything walks the
data, and reporting every mapping key given twice (YAML says keys are unique; PyYAML keeps the last).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from monitor.errors import ConfigError, ConfigProblem

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser and composer where PyYAML was built with it (the pure-Python one is ~10x slower)."""

ALIAS_ALLOWANCE = 10_000
"""Values aliases may add to a file beyond its own (or as many as it has, if more): plenty for
reusing a list of terms, far too few for a "billion laughs" that expands to billions of values."""

_MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed YAML file: its data, its node tree (for line numbers) and its duplicate keys."""

    data: Any
    root: yaml.Node | None
    duplicates: tuple[ConfigProblem, ...]


def parse_document(text: str, name: str) -> Document:
    """Parse ``text`` once; raise ConfigError (file:line) for invalid YAML or an alias expansion bomb."""
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise ConfigError([_yaml_problem(exc, text, name)]) from None
        except yaml.YAMLError as exc:
            raise ConfigError([ConfigProblem(name, None, "", f"invalid YAML: {exc}")]) from None
        if root is None:
            return Document(None, None, ())
        if "*" in text:  # no alias without its '*': a file with none cannot expand
            _refuse_alias_bomb(root, name)
        duplicates = tuple(_duplicate_keys(root, name))
        try:
            data = loader.construct_document(root)
        except yaml.MarkedYAMLError as exc:
            raise ConfigError([_yaml_problem(exc, text, name)]) from None
        except (yaml.YAMLError, RecursionError) as exc:
            raise ConfigError([ConfigProblem(name, None, "", f"invalid YAML: {exc}")]) from None
        return Document(data, root, duplicates)
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str, name: str) -> ConfigProblem:
    """The YAML error located on a line that exists, with where the broken construct began."""
    mark = exc.problem_mark or exc.context_mark
    # At end of input the mark sits on the line after the last one; point at the last line instead.
    last_line = max(1, len(text.splitlines()))
    line = min(mark.line + 1, last_line) if mark else None
    message = f"invalid YAML: {exc.problem or exc}"
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        message += f" ({exc.context} on line {exc.context_mark.line + 1})"
    return ConfigProblem(name, line, "", message)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _refuse_alias_bomb(root: yaml.Node, name: str) -> None:
    """Count the values the node graph expands to (aliases share nodes) without expanding it."""
    size: dict[int, int] = {}
    uses: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            if any(id(c) not in size for c in children):  # an alias of a node that contains it
                line = node.start_mark.line + 1
                raise ConfigError([ConfigProblem(name, line, "", "a YAML alias refers to its own anchor")])
            size[key] = 1 + sum(size[id(c)] for c in children)
            continue
        uses[key] = uses.get(key, 0) + 1
        if key in nodes:
            continue  # an alias of a node already counted (or being counted: a recursive alias)
        nodes[key] = node
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node))
    total, own = size[id(root)], len(nodes)
    if total - own <= max(ALIAS_ALLOWANCE, own):
        return
    shared = [k for k, n in uses.items() if n > 1]
    worst = nodes[max(shared, key=lambda k: size[k] * uses[k])]
    raise ConfigError(
        [
            ConfigProblem(
                name,
                worst.start_mark.line + 1,
                "",
                f"YAML aliases expand this file to {total:,} values from {own:,} "
                f"(at most {max(ALIAS_ALLOWANCE, own):,} more are allowed); the anchor on this line "
                "is repeated too often",
            )
        ]
    )


def _duplicate_keys(root: yaml.Node, name: str) -> list[ConfigProblem]:
    """Every key given twice in one mapping, at any depth, named by its dotted path."""
    problems: list[ConfigProblem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, list[str | int]]] = [(root, [])]
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                if not isinstance(child, yaml.ScalarNode):
                    stack.append((child, [*loc, i]))
        elif isinstance(node, yaml.MappingNode):
            keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.tag != _MERGE]
            if len(set(keys)) != len(keys):
                problems += _twice(node, loc, name)
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and not isinstance(value_node, yaml.ScalarNode):
                    stack.append((value_node, [*loc, key_node.value]))
    return sorted(problems, key=lambda p: (p.line or 0, p.key))


def _twice(node: yaml.MappingNode, loc: list[str | int], name: str) -> list[ConfigProblem]:
    problems = []
    first: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
            continue
        line = key_node.start_mark.line + 1
        if key_node.value not in first:
            first[key_node.value] = line
            continue
        message = f"key given twice in one mapping (first on line {first[key_node.value]}); remove one"
        problems.append(ConfigProblem(name, line, format_key([*loc, key_node.value]), message))
    return problems


def format_key(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(root: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """1-based line of the deepest YAML node reached along ``loc``."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    line = key_node.start_mark.line + 1
                    nxt = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line
