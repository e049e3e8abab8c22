"""One registry of the generator's random streams (stable_random.FIELDS, STREAMS): two draws
that shared a field would be the same numbers, silently correlated."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from include.generator import stable_random

GENERATOR = Path(stable_random.__file__).resolve().parent


def test_every_field_and_stream_is_unique():
    taken = stable_random.fields_taken()
    assert [f for f, k in Counter(taken).items() if k > 1] == []
    streams = list(stable_random.STREAMS.values())
    assert len(set(streams)) == len(streams)
    assert all(s >= stable_random.BLOCK_STREAMS_BELOW for s in streams)  # never a block's


def _last_arguments(text: str, function: str) -> list[str]:
    """The last argument of every call of `function` in `text` (parentheses matched)."""
    out = []
    for m in re.finditer(rf"\b{function}\(", text):
        depth, args, start = 1, [], m.end()
        for i in range(m.end(), len(text)):
            if text[i] in "([{":
                depth += 1
            elif text[i] in ")]}":
                depth -= 1
                if depth == 0:
                    args.append(text[start:i])
                    break
            elif text[i] == "," and depth == 1:
                args.append(text[start:i])
                start = i + 1
        out.append(args[-1].strip().removeprefix("field=") if args else "")
    return out


def test_the_generator_draws_only_registered_fields():
    """Every uniform/normal draw of the generator names a registered field (FIELDS["name"],
    maybe + an offset), or uses a literal number the registry hands out."""
    taken = set(stable_random.fields_taken())
    for path in GENERATOR.glob("*.py"):
        if path.name == "stable_random.py":
            continue
        text = path.read_text()
        for field in _last_arguments(text, "uniform") + _last_arguments(text, "normal"):
            named = re.fullmatch(r'FIELDS\["(\w+)"\](\s*\+.*)?', field)
            literal = re.fullmatch(r"([\d_]+)(\s*\+.*)?", field)
            if named:
                assert named[1] in stable_random.FIELDS, (path.name, field)
            elif literal:
                assert int(literal[1].replace("_", "")) in taken, (path.name, field)
            else:
                assert field == "field", (path.name, field)  # a helper's parameter, named at its callers
