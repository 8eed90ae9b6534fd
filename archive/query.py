"""The search query language, parsed into a safe FTS5 MATCH expression over normalised terms.

Grammar: words (AND by default), "a phrase", AND / OR / NOT (upper case; NOT excludes from what
precedes or follows it), -word and -"phrase" as a short form of NOT word (the lexer emits a NOT
lexeme, so no new node: the result is the same `(positives NOT negative)` expression), word* and
"phrase"* prefixes, parentheses. Precedence: NOT and AND bind tighter than OR. Every term is
normalised and stemmed like the index and double-quoted, so no user text is ever read as FTS5 syntax.

Compounds: parse_query(text, expand) with expand(stem) → [compound stems] (archive.search passes
one that looks compounds up in the index's vocabulary, see normalise.compound_rests) turns each
positive bare word that is not a prefix into `("stem" OR "compound1" OR …)`. Negated words, phrases
and prefixes are never expanded. Without expand the expression is the whole-word one, as before;
archive.search ranks whole-word hits first and compound-only hits after them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import BadInput
from .search_limits import check_size
from .normalise import term, words

OPERATORS = {"AND", "OR", "NOT"}
# Parentheses deeper than this are no search anyone means; each level is one recursion.
MAX_NESTING = 50


@dataclass(frozen=True)
class Lexeme:
    """One token of a query: a word, a phrase, an operator or a parenthesis."""

    kind: str  # word | phrase | AND | OR | NOT | ( | )
    text: str = ""
    prefix: bool = False


@dataclass
class Query:
    """A parsed query: the MATCH expression and the terms that mark hits in snippets."""

    match: str
    exact: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    positives: list[str] = field(default_factory=list)  # the FTS5 phrases not under a NOT, in order


def parse_query(text: str, expand: Callable[[str], list[str]] | None = None) -> Query:
    """Parse a user's query (words expanded to their compounds by expand); malformed: BadInput."""
    if not text or not text.strip():
        raise BadInput("empty query: give at least one word to search for")
    lexemes = list(_lex(text))
    check_size(text, words=sum(x.kind in ("word", "phrase") for x in lexemes),
               prefixes=sum(x.prefix for x in lexemes))
    parser = _Parser(lexemes, expand)
    node = parser.parse()
    if node is None:
        raise BadInput("the query has no letters or digits to search for")
    return Query(match=node, exact=parser.exact, prefixes=parser.prefixes, positives=parser.positives)


def _lex(text: str):
    """Split a query into lexemes; quotes and stars are checked here."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield Lexeme(ch)
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise BadInput('unbalanced quote: a "phrase" needs a closing "')
            star = text.startswith("*", end + 1)
            yield Lexeme("phrase", text[i + 1:end], star)
            i = end + 1 + star
        else:
            i = yield from _lex_word(text, i)


def _lex_word(text: str, i: int):
    """Lex one bare word starting at i; returns the index after it."""
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in '"()':
        j += 1
    raw = text[i:j]
    if raw.startswith("-") and (len(raw) > 1 or text.startswith('"', j)):
        # -word / -"phrase": the same as NOT word (a hyphen inside a word, E-Bike, stays a word).
        yield Lexeme("NOT")
        raw, i = raw[1:], i + 1
        if not raw:
            return j
    if raw in OPERATORS:
        yield Lexeme(raw)
        return j
    if raw.upper() == "NEAR" and text.startswith("(", j):
        raise BadInput('NEAR(...) is not supported: use a "phrase" or AND')
    star = raw.endswith("*")
    core = raw[:-1] if star else raw
    if "*" in core:
        raise BadInput(f"'*' may only end a word, as in Stolper*: {raw!r}")
    if star and not core:
        raise BadInput("'*' needs the start of a word in front of it, as in Stolper*")
    yield Lexeme("word", core, star)
    return j


class _Parser:
    """Recursive descent over lexemes, producing the FTS5 expression as a string."""

    def __init__(self, lexemes: list[Lexeme], expand: Callable[[str], list[str]] | None = None):
        self.lexemes, self.pos, self.expand = lexemes, 0, expand
        self.exact: set[str] = set()
        self.prefixes: set[str] = set()
        self.positives: list[str] = []
        self.depth = 0
        self.negating = 0  # > 0 inside a negated group: NOT (a OR b) negates a and b

    def peek(self) -> str | None:
        return self.lexemes[self.pos].kind if self.pos < len(self.lexemes) else None

    def take(self) -> Lexeme:
        self.pos += 1
        return self.lexemes[self.pos - 1]

    def parse(self) -> str | None:
        node = self.parse_or()
        if self.peek() == ")":
            raise BadInput("unbalanced parenthesis: a ')' has no '(' before it")
        if self.peek() is not None:  # pragma: no cover - parse_or stops only at ) or the end
            raise BadInput(f"unexpected {self.peek()!r} in the query")
        return node

    def parse_or(self) -> str | None:
        if self.peek() == "OR":
            raise BadInput("OR needs a word on both sides, as in Kita OR Schule")
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise BadInput("OR needs a word on both sides, as in Kita OR Schule")
            parts.append(self.parse_and())
        parts = [p for p in parts if p is not None]
        if len(parts) > 1:
            return "(" + " OR ".join(parts) + ")"
        return parts[0] if parts else None

    def parse_and(self) -> str | None:
        positives, negatives, seen = [], [], False
        while self.peek() not in (None, ")", "OR"):
            kind = self.take().kind
            if kind == "AND":
                if not seen or self.peek() in (None, ")", "OR", "AND"):
                    raise BadInput("AND needs a word on both sides, as in Kita AND Schule")
            elif kind == "NOT":
                if self.peek() in (None, ")", "OR", "AND", "NOT"):
                    raise BadInput("NOT needs a word after it, as in Bochum NOT Stadion")
                self.negating += 1
                negatives.append(self.parse_primary(self.take(), negated=True))
                self.negating -= 1
            else:
                positives.append(self.parse_primary(self.lexemes[self.pos - 1]))
            seen = True
        return _combine([p for p in positives if p], [n for n in negatives if n])

    def parse_primary(self, lexeme: Lexeme, negated: bool = False) -> str | None:
        if lexeme.kind == "(":
            if self.peek() == ")":
                raise BadInput("empty parentheses in the query")
            self.depth += 1
            if self.depth > MAX_NESTING:  # each level is a recursion: refuse before Python's limit
                raise BadInput("the query nests parentheses too deeply")
            inner = self.parse_or()
            self.depth -= 1
            if self.peek() != ")":
                raise BadInput("unbalanced parenthesis: a '(' is never closed")
            self.take()
            return inner
        if lexeme.kind == ")":  # pragma: no cover - parse_and never hands one over
            raise BadInput("unbalanced parenthesis: a ')' has no '(' before it")
        return self.phrase(lexeme, negated)

    def phrase(self, lexeme: Lexeme, negated: bool) -> str | None:
        """A word or phrase as a quoted FTS5 phrase of stems (None if it has no letters or digits)."""
        stems = [t for t in map(term, words(lexeme.text)) if t]
        if not stems:
            return None
        negated = negated or self.negating > 0
        if not negated:
            self.exact.update(stems[:-1] if lexeme.prefix else stems)
            (self.prefixes if lexeme.prefix else self.exact).add(stems[-1])
        quoted = '"' + " ".join(stems).replace('"', '""') + '"' + ("*" if lexeme.prefix else "")
        alternatives = [quoted]
        if not (negated or lexeme.prefix or len(stems) > 1 or self.expand is None):
            compounds = [c for c in self.expand(stems[0]) if c != stems[0]]
            self.exact.update(compounds)
            alternatives += ['"' + c.replace('"', '""') + '"' for c in compounds]
        if not negated:
            self.positives += alternatives
        return quoted if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def _combine(positives: list[str], negatives: list[str]) -> str | None:
    """AND the positives, then take away each negative (FTS5's NOT is binary)."""
    if not positives:
        if negatives:
            raise BadInput("NOT needs something to exclude from, as in Bochum NOT Stadion")
        return None
    node = positives[0] if len(positives) == 1 else "(" + " AND ".join(positives) + ")"
    for negative in negatives:
        node = f"({node} NOT {negative})"
    return node
