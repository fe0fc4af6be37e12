"""Stream's filter_conditions and sort, compiled into Django `Q` objects and orderings.

A filter is a JSON object: each key a field (`{"type": "messaging"}` means $eq, `{"created_at":
{"$gt": T}}` an operator) or `$and` / `$or` / `$nor` over a list of filters; its entries all hold.
Each query (channels, members, users) declares its fields: the operators each takes and how each
becomes a `Q`. Anything else is refused with invalid_field naming it: a filter that silently
matched nothing would look like an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Expression, F, OrderBy, Q

from chat import frames
from chat.exceptions import InvalidField

__all__ = [
    "COMPARISONS",
    "MAX_CONDITIONS",
    "MAX_DEPTH",
    "MAX_IN",
    "Field",
    "as_bool",
    "as_int",
    "as_list",
    "as_text",
    "as_texts",
    "as_time",
    "autocomplete",
    "column",
    "compile_filter",
    "compile_sort",
    "sort_keys",
]

MAX_DEPTH = 5  # nested $and / $or / $nor
MAX_CONDITIONS = 100  # field conditions in one filter
MAX_IN = 1000  # values of one $in
COMPARISONS = frozenset({"$eq", "$ne", "$gt", "$gte", "$lt", "$lte"})
_LOGICAL = ("$and", "$or", "$nor")
_LOOKUP = {"$eq": "exact", "$gt": "gt", "$gte": "gte", "$lt": "lt", "$lte": "lte", "$in": "in"}


@dataclass(frozen=True, slots=True)
class Field:
    """A filter key: the operators it takes, and `build(operator, value) -> Q` (value unchecked)."""

    operators: frozenset[str]
    build: Callable[[str, Any, str], Q]


def column(name: str, convert: Callable[[Any, str], Any]) -> Callable[[str, Any, str], Q]:
    """A builder for a plain column: `$eq`, `$ne`, comparisons and `$in` / `$nin` on `name`."""

    def build(operator: str, value: Any, where: str) -> Q:
        if operator in ("$in", "$nin"):
            q = Q(**{f"{name}__in": as_list(value, where, convert)})
            return ~q if operator == "$nin" else q
        if operator == "$ne":
            return ~Q(**{name: convert(value, where)})
        return Q(**{f"{name}__{_LOOKUP[operator]}": convert(value, where)})

    return build


def autocomplete(name: str, value: Any, where: str) -> Q:
    """Stream's $autocomplete: a word of the field starts with the text (case-insensitive)."""
    text = as_text(value, where).strip()
    if not text:
        raise InvalidField(f"{where}: $autocomplete needs some text")
    return Q(**{f"{name}__istartswith": text}) | Q(**{f"{name}__icontains": f" {text}"})


def compile_filter(conditions: Mapping[str, Any] | None, fields: Mapping[str, Field], what: str) -> Q:
    """The `Q` of a Stream filter over `fields`; `what` names it in errors (`filter_conditions`)."""
    counter = [0]
    return _compile(conditions or {}, fields, what, 0, counter)


def _compile(conditions: Any, fields: Mapping[str, Field], where: str, depth: int, counter: list[int]) -> Q:
    if not isinstance(conditions, dict):
        raise InvalidField(f"{where} must be an object")
    if depth > MAX_DEPTH:
        raise InvalidField(f"{where}: filters nest at most {MAX_DEPTH} deep")
    q = Q()
    for key, value in conditions.items():
        here = f"{where}.{key}"
        if key in _LOGICAL:
            if not isinstance(value, list) or not value:
                raise InvalidField(f"{here} must be a non-empty list of filters")
            parts = [_compile(v, fields, f"{here}[{n}]", depth + 1, counter) for n, v in enumerate(value)]
            joined = parts[0]
            for part in parts[1:]:
                joined = joined & part if key == "$and" else joined | part
            q &= ~joined if key == "$nor" else joined
            continue
        field = fields.get(key)
        if field is None:
            known = ", ".join(sorted(fields))
            raise InvalidField(f"{where}: unknown field {key!r} (this query filters on {known})")
        operations = value if _is_operators(value) else {"$eq": value}
        if not operations:
            raise InvalidField(f"{here}: no operator given")
        for operator, operand in operations.items():
            counter[0] += 1
            if counter[0] > MAX_CONDITIONS:
                raise InvalidField(f"{where}: at most {MAX_CONDITIONS} conditions in one filter")
            if operator not in field.operators:
                supported = ", ".join(sorted(field.operators))
                raise InvalidField(f"{here}: operator {operator!r} is not supported (use {supported})")
            q &= field.build(operator, operand, f"{here}.{operator}")
    return q


def _is_operators(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    if all(k.startswith("$") for k in value):
        return True
    raise InvalidField(f"expected an operator such as $eq or $in, got the keys {sorted(map(str, value))}")


def compile_sort(
    sort: Sequence[Any] | None,
    expressions: Mapping[str, Callable[[], Expression | F]],
    default: Sequence[tuple[str, int]],
    tiebreak: str,
) -> list[OrderBy]:
    """Orderings for Stream's sort (`[{field, direction}]`), then `tiebreak` so pages are stable.

    Descending puts empty values (a channel without messages) last, ascending first: an empty
    value counts as the oldest.
    """
    keys: list[tuple[str, int]] = (
        [(_sort_field(s), _sort_direction(s)) for s in sort] if sort else list(default)
    )
    orderings: list[OrderBy] = []
    for name, direction in keys:
        expression = expressions[name]()
        if direction < 0:
            orderings.append(expression.desc(nulls_last=True))
        else:
            orderings.append(expression.asc(nulls_first=True))
    orderings.append(F(tiebreak).desc() if keys and keys[0][1] < 0 else F(tiebreak).asc())
    return orderings


def _sort_field(sort: Any) -> str:
    field = getattr(sort, "field", None)
    return str(getattr(field, "value", field))


def _sort_direction(sort: Any) -> int:
    direction = getattr(sort, "direction", 1)
    return int(getattr(direction, "value", direction))


# Operand checks: each returns the value as the column takes it, or refuses naming `where`.


def as_text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InvalidField(f"{where} must be a string")
    return value


def as_bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidField(f"{where} must be true or false")
    return value


def as_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidField(f"{where} must be an integer")
    return value


def as_time(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidField(f"{where} must be an ISO 8601 time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField(f"{where} must be an ISO 8601 time, not {value[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_list(value: Any, where: str, convert: Callable[[Any, str], Any]) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidField(f"{where} must be a list")
    if len(value) > MAX_IN:
        raise InvalidField(f"{where}: at most {MAX_IN} values")
    return [convert(v, f"{where}[{n}]") for n, v in enumerate(value)]


def as_texts(value: Any, where: str) -> list[str]:
    return as_list(value, where, as_text)


def sort_keys(sort: Sequence[frames.ChannelSort | frames.MemberSort | frames.UserSort] | None) -> list[str]:
    """The fields a sort names, in order (for callers that must prepare one)."""
    return [_sort_field(s) for s in sort or ()]
