"""The /_replica/ control endpoints: switch content states, modes and faults; read counters and truth.

Everything is JSON. POST a JSON object, or GET with the same keys as query parameters:
  /_replica/state   {"action": "edit"|"headline"|"withdraw"|"soft404"|"restore"|"add"|"reshuffle"|"reset",
                     "path": "...", "status": 410|404, "published": "YYYY-MM-DD",
                     "markup": "portal"|"fallback", "etag": "content"|"chrome"|"random"|"none",
                     "listing": "normal"|"empty"|"loadmore"|"loadmore-json"|"sitemap"|"sitemap-index"|"sitemap-unnamed"
                                |"feed"|"stops"|"onepage"|"junk" (120 release links on the first page that answer 404)}
  /_replica/faults  {"rules": [{"fault": "503"|"drop"|"slow"|"redirect"|"gzipbomb"|"huge"|"cookiewall",
                     "paths": [...],
                     "fraction": 0.1, "kinds": ["article"], "times": 2, "seconds": 0.5, "status": 503,
                     "location": "http://elsewhere/ or /path (redirect)"}],
                     "down": true|false, "append": false, "clear": false}     DELETE clears
  /_replica/stats   counters; POST /_replica/stats/reset (or ?reset=1) forgets them
  /_replica/truth?path=...   ground truth of one release;  /_replica/releases   all releases
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

PREFIX = "/_replica/"


def handle(replica, method: str, handler) -> tuple[int, dict]:
    """Answer one control request: (status, JSON payload)."""
    split = urlsplit(handler.path)
    name = split.path[len(PREFIX):].strip("/")
    try:
        spec = {k: v[-1] for k, v in parse_qs(split.query).items()}
        spec.update(_body(handler))
        return 200, _dispatch(replica, method, name, spec)
    except KeyError as exc:
        return 404, {"error": f"not found: {exc.args[0] if exc.args else name}"}
    except (ValueError, TypeError) as exc:
        return 400, {"error": str(exc)}


def _body(handler) -> dict:
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length) if length else b""  # always read it: the connection is kept alive
    data = json.loads(raw) if raw.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def _dispatch(replica, method: str, name: str, spec: dict) -> dict:
    if name not in _ENDPOINTS:
        raise KeyError(name)
    return _ENDPOINTS[name](replica, method, spec)


def _state(replica, method: str, spec: dict) -> dict:
    return apply(replica, "state", spec) if spec else state(replica)


def _faults(replica, method: str, spec: dict) -> dict:
    spec = {"clear": True} if method == "DELETE" else spec
    return apply(replica, "faults", spec) if spec else replica.faults.to_dict()


def _stats(replica, method: str, spec: dict, reset: bool = False) -> dict:
    if reset or method == "POST" or spec.get("reset") in ("1", "true", True):
        replica.reset_stats()
    return replica.stats()


def _truth(replica, method: str, spec: dict) -> dict:
    found = replica.truth(spec["path"])
    if found is None:
        raise KeyError(spec["path"])
    return found


def _releases(replica, method: str, spec: dict) -> dict:
    return {"releases": [{"path": r.path, "published": r.published.isoformat(), "headline": r.headline,
                          "status": r.status, "template": r.template} for r in replica.portal.releases]}


_ENDPOINTS = {"state": _state, "faults": _faults, "stats": _stats, "truth": _truth, "releases": _releases,
              "stats/reset": lambda r, m, s: _stats(r, m, s, reset=True)}


def apply(replica, endpoint: str, spec: dict) -> dict:
    """Apply a state or faults spec (as POSTed) and return the new state."""
    return _apply_state(replica, spec) if endpoint == "state" else _apply_faults(replica, spec)


_ACTIONS = {
    "edit": lambda r, s: r.edit(s.get("path")),
    "headline": lambda r, s: r.correct_headline(s.get("path")),
    "withdraw": lambda r, s: r.withdraw(s.get("path"), int(s.get("status", 410))),
    "restore": lambda r, s: r.restore(s.get("path")),
    "soft404": lambda r, s: r.soft_404(s.get("path")),
    "add": lambda r, s: r.add_release(s.get("published")),
    "reshuffle": lambda r, s: r.reshuffle_chrome(),
    "reset": lambda r, s: r.reset(),
}


def _apply_state(replica, spec: dict) -> dict:
    modes = {k: spec[k] for k in ("markup", "etag", "listing") if k in spec}
    if modes:
        replica.set_mode(**modes)
    result: dict = {}
    action = spec.get("action")
    if action:
        if action not in _ACTIONS:
            raise ValueError(f"action must be one of {sorted(_ACTIONS)}")
        done = _ACTIONS[action](replica, spec)
        if isinstance(done, str):
            rel = replica.portal.get(done)
            result = {"path": done, "url": replica.url(done), "status": rel.status,
                      "etag": replica.site.validators(rel)[0], "headline": rel.headline}
        elif isinstance(done, int):
            result = {"chrome": done}
    return {"result": result, "state": state(replica)}


def _apply_faults(replica, spec: dict) -> dict:
    if spec.get("clear") or ("rules" in spec and not spec.get("append")):
        replica.clear_faults()
    for rule in spec.get("rules", []):
        fault = rule.get("fault")
        common = {"paths": rule.get("paths"), "fraction": rule.get("fraction"), "kinds": rule.get("kinds")}
        if fault == "slow":
            replica.slow(float(rule.get("seconds", 0)), times=rule.get("times"), **common)
        elif fault == "drop":
            replica.drop(times=rule.get("times", 1), **common)
        elif fault == "redirect":
            replica.redirect(rule.get("location"), status=int(rule.get("status", 301)), times=rule.get("times"), **common)
        elif fault in ("gzipbomb", "huge", "cookiewall"):
            method = {"gzipbomb": "gzip_bomb", "huge": "huge", "cookiewall": "cookie_wall"}[fault]
            getattr(replica, method)(times=rule.get("times"), **common)
        elif fault == "503":
            replica.fail(times=rule.get("times", 1), status=int(rule.get("status", 503)), **common)
        else:
            raise ValueError('fault must be "503", "drop", "slow", "redirect", "gzipbomb", "huge" or "cookiewall"')
    if "down" in spec:
        replica.down(spec["down"] in (True, "1", "true"))
    return replica.faults.to_dict()


def state(replica) -> dict:
    """Modes and content state as JSON."""
    portal = replica.portal
    return {**replica.state.to_dict(), "releases": len(portal.active), "pages": portal.pages,
            "withdrawn": {r.path: r.status for r in portal.releases if r.status != 200},
            "revised": {r.path: r.revision for r in portal.releases if r.revision},
            "added": [r.path for r in portal.releases if r.rid >= portal.n]}
