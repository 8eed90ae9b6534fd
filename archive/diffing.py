"""What changed between two versions, as data: the one diff behind `diff`, `diff --format json` and the browser.

Paragraphs are aligned by content first: difflib matches the paragraph sequences, and inside each
stretch that differs, old and new paragraphs are paired by similarity (in order, the best total),
so a removed paragraph is never shown as "changed into" a later, edited one. Paired paragraphs get
a word diff; the unpaired ones are removed or added whole. Quotes and images are compared entry by
entry (images by caption and credit, as versioning does).
"""
from __future__ import annotations

import difflib

SIMILAR = 0.5  # word-level similarity from which two paragraphs count as one, edited


def word_ops(old: str, new: str) -> list[list[str]]:
    """The words of old → new as [op, text] runs, op one of "equal", "removed", "added"."""
    a, b = old.split(), new.split()
    ops: list[list[str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            ops.append(["equal", " ".join(a[i1:i2])])
        if op in ("delete", "replace"):
            ops.append(["removed", " ".join(a[i1:i2])])
        if op in ("insert", "replace"):
            ops.append(["added", " ".join(b[j1:j2])])
    return ops


def similarity(old: str, new: str) -> float:
    """How alike two paragraphs are, word by word (0 to 1)."""
    matcher = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= SIMILAR else 0.0


def pair_similar(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """In-order pairs (i, j) of similar paragraphs with the greatest total similarity."""
    score = [[similarity(x, y) for y in b] for x in a]
    best = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]  # best[i][j]: a[i:] against b[j:]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            take = score[i][j] + best[i + 1][j + 1] if score[i][j] >= SIMILAR else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if score[i][j] >= SIMILAR and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def paragraph_changes(a: list[str], b: list[str]) -> list[dict]:
    """Edited (with word ops), removed and added paragraphs; positions are 1-based."""
    changes: list[dict] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changes += _stretch(a, b, i1, i2, j1, j2)
    return changes


def _stretch(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[dict]:
    """The changes inside one differing stretch a[i1:i2] → b[j1:j2], in reading order."""
    pairs = pair_similar(a[i1:i2], b[j1:j2])
    changes, i, j = [], i1, j1
    for pi, pj in [(i1 + x, j1 + y) for x, y in pairs] + [(i2, j2)]:
        changes += [{"op": "removed", "from": k + 1, "text": a[k]} for k in range(i, pi)]
        changes += [{"op": "added", "to": k + 1, "text": b[k]} for k in range(j, pj)]
        if pi < i2:
            changes.append({"op": "edited", "from": pi + 1, "to": pj + 1, "old": a[pi], "new": b[pj],
                            "words": word_ops(a[pi], b[pj])})
        i, j = pi + 1, pj + 1
    return changes


def entry_changes(a: list[str], b: list[str]) -> list[dict]:
    """Removed and added entries of a list field (quotes, images) as shown to a reader."""
    changes: list[dict] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changes += [{"op": "removed", "text": entry} for entry in a[i1:i2]]
            changes += [{"op": "added", "text": entry} for entry in b[j1:j2]]
    return changes


def field_changes(a: dict, b: dict, status: tuple[str, str]) -> list[dict]:
    """One entry per changed field between two extracts (versioning's shape)."""
    fields: list[dict] = []
    if status[0] != status[1]:
        fields.append({"field": "status", "old": status[0], "new": status[1]})
    for name in ("headline", "kicker"):
        if a[name] != b[name]:
            fields.append({"field": name, "old": a[name], "new": b[name],
                           "words": word_ops(a[name] or "", b[name] or "")})
    if a["published"] != b["published"]:
        fields.append({"field": "published", "old": a["published"], "new": b["published"]})
    lists = (("paragraphs", paragraph_changes(a["paragraphs"], b["paragraphs"])),
             ("quotes", entry_changes([quote_text(q) for q in a["quotes"]], [quote_text(q) for q in b["quotes"]])),
             ("images", entry_changes([image_text(i) for i in a["images"]], [image_text(i) for i in b["images"]])))
    fields += [{"field": name, "changes": changes} for name, changes in lists if changes]
    return fields


def quote_text(q: dict) -> str:
    """A quote as a reader sees it: „text“ — speaker, role."""
    who = ", ".join(part for part in (q["speaker"], q["role"]) if part)
    return f"„{q['text']}“" + (f" — {who}" if who else "")


def image_text(i: dict) -> str:
    """The compared parts of an image (caption, credit): src and alt never make a version differ."""
    return (i["caption"] or "(no caption)") + (f" (credit: {i['credit']})" if i["credit"] else "")
