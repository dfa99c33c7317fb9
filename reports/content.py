"""STUB (H9's worktree only): the contract of H8's reports.content, replaced at merge."""

import hashlib
import json

NARRATIVE_FIELDS = (
    "kind", "title", "subtitle", "part_of", "intro", "what_is_heading", "what_is",
    "background", "goal", "approach", "start", "current_state", "added_value", "quotes",
    "results", "lessons", "next_steps", "source_line", "links", "author_line",
)  # fmt: skip


def factsheet_context(factsheet):
    return {"factsheet": factsheet}


def content_hash(factsheet):
    fields = {name: getattr(factsheet, name) for name in NARRATIVE_FIELDS}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
