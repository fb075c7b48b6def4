#!/usr/bin/python3
"""Validate frames (JSON lines) against the psistats JSON Schema with python3-jsonschema.

Usage: validate_frames.py SCHEMA FRAMES.jsonl
Prints one line per invalid frame ("line N: reporter R: message") and exits 1 if any
is invalid, 2 on usage errors; prints "N frames valid" and exits 0 otherwise.
"""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
    count = 0
    bad = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            count += 1
            frame = json.loads(line)
            for error in validator.iter_errors(frame):
                bad += 1
                path = "/".join(str(p) for p in error.absolute_path)
                print(f"line {number}: reporter {frame.get('reporter')}: {path}: {error.message}")
    if count == 0:
        print("no frames to validate")
        return 1
    if bad == 0:
        print(f"{count} frames valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
