"""Building records the engine has already checked, without pydantic's validation or defaults pass."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__


def built(cls: type[M], values: dict[str, Any]) -> M:
    """A record of ``cls`` holding ``values``: every field given, each already of its field's type.

    What ``model_construct`` does for such values, minus its per-field walk for defaults and
    aliases (the engine builds thousands of these a second). Only for the engine's own records:
    anything from outside goes through ``model_validate``."""
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
