"""Skills: what a credential says it evidences, and the one rule for when two names are one skill.

`extract(doc)` reads a credential document (VC 1.1/2.0, OB 3.0, CLR 2.0) and returns the skills
it names, each `{name, code, framework, url, source}`:

- `alignment`: an OB 3.0 `Alignment` of an achievement (targetName, targetCode, targetFramework,
  targetUrl);
- `tag`: an entry of `achievement.tag` (the learner's own skill tags are written this way too);
- `competency`: an achievement whose `achievementType` is `Competency` names that competency;
- `result`: an alignment of a `resultDescription` of the achievement, or of a `result` the subject
  was given (a result description that names a competency);
- every source again for the achievements of a CLR 2.0 (`credentialSubject.achievement[]` and the
  credentials nested in `credentialSubject.verifiableCredential[]`, one level deep).

`skill_key(name)` is the conservative merge rule, documented in docs/record.md: Unicode NFKC,
case folded, whitespace collapsed, and the separators `- _ / . , ; : ' "` (any dash, connector,
quote or bracket, and trailing `.`/`:`) read as a space. Nothing else: `C`, `C++` and `C#` stay
three skills (`+` and `#` are kept), "Python" and "Python programming" stay two. Two entries are
also one skill when they share a code in the same framework (`framework` compared by the same
key) or the same targetUrl: that is what the issuer said, not a guess.

`--skill NAME` of `list` and `present` matches with `matches(entries, NAME)`: NAME's key equals or
is contained (as whole words) in a skill's key, or equals a code or URL. `lerwallet skills`
merges with `merge_key`. The three read the same `extract` output, stored in each credential's
summary as `skills`.

This module reads untrusted display data: it is bounded (MAX_PER_CREDENTIAL entries, texts cut at
MAX_TEXT characters) and never raises on odd shapes.
"""

from __future__ import annotations

import functools
from typing import Any, Iterable

from lerwallet.jsonutil import as_list

MAX_PER_CREDENTIAL = 500  # skills read from one credential (a CLR can hold many)
MAX_TEXT = 200  # characters of a name, code or framework kept
MAX_NESTED = 200  # credentials nested in a CLR that are read

SOURCES = ("alignment", "tag", "competency", "result")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()[:MAX_TEXT]
    if isinstance(value, dict):
        for key in ("@value", "en", "name"):
            if isinstance(value.get(key), str):
                return value[key].strip()[:MAX_TEXT]
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


# Read as a space: whitespace, dashes (Pd), connectors (Pc), quotes (Pi, Pf), brackets (Ps, Pe),
# and these common separators. Kept: every other symbol (+ # & @ ...), letters and digits.
_SEPARATORS = set("/.,;:'\"`!?")
_SEPARATOR_CATEGORIES = {"Pd", "Pc", "Pi", "Pf", "Ps", "Pe", "Zs", "Zl", "Zp", "Cc"}


def _is_separator(ch: str) -> bool:
    import unicodedata  # not at module level: `verify` reads skills for every summary, rarely a non-ASCII one

    return ch in _SEPARATORS or ch.isspace() or unicodedata.category(ch) in _SEPARATOR_CATEGORIES


@functools.cache
def _ascii_separators() -> dict[int, str]:
    """The same rule as a translation table for ASCII names (the common case, about ten times faster)."""
    return str.maketrans({chr(c): " " for c in range(128) if _is_separator(chr(c))})


@functools.lru_cache(maxsize=16384)
def skill_key(name: str) -> str:
    """The merge key of a skill name (see the module doc): "Problem-Solving." -> "problem solving"."""
    name = name or ""
    if name.isascii():  # NFKC leaves ASCII alone, and casefold is lower
        text = name.lower()
        key = " ".join(text.translate(_ascii_separators()).split())
        return key or " ".join(text.split())
    import unicodedata

    text = unicodedata.normalize("NFKC", name).casefold()
    out = []
    for ch in text:
        out.append(" " if _is_separator(ch) else ch)
    key = " ".join("".join(out).split())
    return key or " ".join(text.split())


def _alignment(item: Any, source: str) -> dict | None:
    if not isinstance(item, dict):
        return None
    name, code = _text(item.get("targetName")), _text(item.get("targetCode"))
    url = _text(item.get("targetUrl"))
    if not (name or code):
        return None
    return {"name": name or code, "code": code, "framework": _text(item.get("targetFramework")), "url": url,
            "source": source}


def _from_achievement(achievement: Any, out: list[dict]) -> None:
    if not isinstance(achievement, dict):
        return
    for item in as_list(achievement.get("alignment")):
        if (entry := _alignment(item, "alignment")) is not None:
            out.append(entry)
    for tag in as_list(achievement.get("tag")):
        if isinstance(tag, str) and tag.strip():
            out.append({"name": _text(tag), "code": "", "framework": "", "url": "", "source": "tag"})
    kinds = [_text(k) for k in as_list(achievement.get("achievementType"))]
    if "Competency" in kinds and _text(achievement.get("name")):
        out.append({"name": _text(achievement.get("name")), "code": _text(achievement.get("humanCode")),
                    "framework": "", "url": "", "source": "competency"})
    for description in as_list(achievement.get("resultDescription")):
        if isinstance(description, dict):
            for item in as_list(description.get("alignment")):
                if (entry := _alignment(item, "result")) is not None:
                    out.append(entry)


def _from_subject(subject: Any, out: list[dict], depth: int) -> None:
    if not isinstance(subject, dict):
        return
    for achievement in as_list(subject.get("achievement")):  # OB 3.0: one; CLR 2.0: a list
        _from_achievement(achievement, out)
    for result in as_list(subject.get("result")):
        if isinstance(result, dict):
            for item in as_list(result.get("alignment")):
                if (entry := _alignment(item, "result")) is not None:
                    out.append(entry)
    if depth == 0:  # CLR 2.0: the nested credentials, one level deep
        for nested in as_list(subject.get("verifiableCredential"))[:MAX_NESTED]:
            if isinstance(nested, dict):
                for inner in as_list(nested.get("credentialSubject")):
                    _from_subject(inner, out, depth + 1)


def extract(doc: Any) -> list[dict]:
    """The skills a credential document names (see the module doc), without repeats, in order."""
    if not isinstance(doc, dict):
        return []
    found: list[dict] = []
    for subject in as_list(doc.get("credentialSubject"))[:MAX_NESTED]:
        _from_subject(subject, found, 0)
    out, seen = [], set()
    for entry in found:
        ident = (skill_key(entry["name"]), skill_key(entry["framework"]), entry["code"].casefold(), entry["url"])
        if ident in seen:
            continue
        seen.add(ident)
        out.append(entry)
        if len(out) >= MAX_PER_CREDENTIAL:
            break
    return out


def _words_in(needle: str, haystack: str) -> bool:
    """`needle` appears in `haystack` as whole words (both are keys)."""
    return f" {needle} " in f" {haystack} "


def entry_matches(entry: Any, query: str) -> bool:
    """Whether one stored skill entry answers `--skill QUERY`: the query's key is the entry's name
    key or whole words of it, or the query equals the entry's code or URL (case-insensitive)."""
    if not isinstance(entry, dict):
        return False
    want = skill_key(query)
    if not want:
        return False
    name = skill_key(str(entry.get("name") or ""))
    if name and _words_in(want, name):
        return True
    folded = query.strip().casefold()
    code, url = str(entry.get("code") or "").casefold(), str(entry.get("url") or "").casefold()
    return bool(folded) and (folded == code or folded == url)


def matches(entries: Iterable, query: str) -> bool:
    """Whether any of a credential's skill entries answers `--skill QUERY`."""
    return any(entry_matches(e, query) for e in entries or [])


# --- the wallet's skills: entries of many credentials merged ------------------------------------


def self_attested(summary: dict) -> bool:
    """A record the learner made about themselves (issuer = its own subject): the summary's
    `self_attested` flag, judged from its issuer and subjects when stored before the flag existed
    (`lerwallet.model.summary_self_attested`, the rule `lerwallet.record.is_self_attested` uses)."""
    from lerwallet.model import summary_self_attested

    return summary_self_attested(summary)


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group(entries: list[dict]) -> list[list[int]]:
    """Indices of `entries` grouped into skills: one group per merge key, joined further when two
    entries share a code in the same framework or the same targetUrl. Groups in first-seen order."""
    union = _Union(len(entries))
    first: dict[tuple, int] = {}
    for i, entry in enumerate(entries):
        links = [("name", skill_key(entry.get("name") or ""))]
        if entry.get("code"):
            links.append(("code", skill_key(entry.get("framework") or ""), str(entry["code"]).casefold()))
        if entry.get("url"):
            links.append(("url", str(entry["url"])))
        for link in links:
            if link in first:
                union.join(first[link], i)
            else:
                first[link] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(entries)):
        groups.setdefault(union.find(i), []).append(i)
    return list(groups.values())


def _record_entries(records: list) -> tuple[list[dict], list[int]]:
    entries, owners = [], []
    for index, record in enumerate(records):
        summary = getattr(record, "summary", None) or {}
        for entry in summary.get("skills") or []:
            if isinstance(entry, dict) and (entry.get("name") or entry.get("code")):
                entries.append(entry)
                owners.append(index)
    return entries, owners


def select(records: list, query: str) -> list:
    """The records that evidence a skill answering `--skill QUERY` (the filter of `list` and
    `present`): every record of each merged skill one of whose entries matches, in the given
    order. Merging first means an alias (the same code under another name) answers too, so
    `list --skill NAME` gives exactly the credentials `lerwallet skills` lists under NAME."""
    entries, owners = _record_entries(records)
    chosen: set[int] = set()
    for members in group(entries):
        if any(entry_matches(entries[i], query) for i in members):
            chosen.update(_without_covered_clrs(records, {owners[i] for i in members}))
    return [r for i, r in enumerate(records) if i in chosen]


def _without_covered_clrs(records: list, indexes: set[int]) -> set[int]:
    """A CLR 2.0 whose credentials are stored as records of their own (summary `clr_members`)
    names their skills too; where one of those records evidences the skill, it counts and the
    CLR does not (the same achievement would count twice)."""
    ids = {getattr(records[i], "id", None) for i in indexes}
    out = set()
    for i in indexes:
        members = (getattr(records[i], "summary", None) or {}).get("clr_members")
        if isinstance(members, list) and any(m in ids for m in members):
            continue
        out.add(i)
    return out


def pick_name(entries: list[dict]) -> str:
    """The spelling shown for a merged skill: the most used one; on a tie, one from an issuer's
    alignment before a competency, a result or a tag; then the first in code-point order (so
    "Python" before "python"). Independent of the order records are read in."""
    counts: dict[str, int] = {}
    rank: dict[str, int] = {}
    for e in entries:
        name = str(e.get("name") or e.get("code"))
        counts[name] = counts.get(name, 0) + 1
        source = e.get("source") or "alignment"
        order = SOURCES.index(source) if source in SOURCES else len(SOURCES)
        rank[name] = min(rank.get(name, order), order)
    return min(counts, key=lambda n: (-counts[n], rank[n], n))


def aggregate(records: list, *, verified_only: bool = False, framework: str | None = None) -> list[dict]:
    """The wallet's skills, merged across `records` (objects with `id`, `summary`, `status`).

    Each skill: `name`, `key`, `aliases` (other spellings), `codes` ([{framework, code, url}]),
    `frameworks`, `sources`, `credentials` ([{id, title, issued, status, attestation}]),
    `issuer_verified` / `issuer_unverified` / `self_attested` counts, and `most_recent` (the
    latest issue date as written). `verified_only` counts only issuer-attested, verified
    credentials (skills with none are left out); `framework` keeps the skills aligned to a
    framework whose name contains it (case-insensitive). Sorted by evidence, then name.
    """
    if verified_only:
        records = [r for r in records if getattr(r, "status", "") == "verified"
                   and not self_attested(getattr(r, "summary", None) or {})]
    entries, owners = _record_entries(records)
    out = []
    for members in group(entries):
        names = [str(entries[i].get("name") or entries[i].get("code")) for i in members]
        name = pick_name([entries[i] for i in members])
        codes, frameworks, sources = [], [], []
        for i in members:
            e = entries[i]
            code = {"framework": str(e.get("framework") or ""), "code": str(e.get("code") or ""), "url": str(e.get("url") or "")}
            if (code["code"] or code["url"]) and code not in codes:
                codes.append(code)
            if code["framework"] and code["framework"] not in frameworks:
                frameworks.append(code["framework"])
            source = str(e.get("source") or "alignment")
            if source not in sources:
                sources.append(source)
        if framework is not None:
            want = framework.strip().casefold()
            if not any(want in f.casefold() for f in frameworks):
                continue
        creds, seen = [], set()
        counted = _without_covered_clrs(records, {owners[i] for i in members})
        for i in members:
            if owners[i] not in counted:
                continue
            record = records[owners[i]]
            if record.id in seen:
                continue
            seen.add(record.id)
            summary = record.summary or {}
            creds.append({"id": record.id, "title": str(summary.get("title") or ""),
                          "issued": str(summary.get("issued") or ""), "status": record.status,
                          "attestation": "self" if self_attested(summary) else "issuer"})
        selfs = sum(1 for c in creds if c["attestation"] == "self")
        verified = sum(1 for c in creds if c["attestation"] == "issuer" and c["status"] == "verified")
        dates = sorted((c["issued"] for c in creds if c["issued"]), key=_date_key)
        out.append({
            "name": name, "key": skill_key(name),
            "aliases": sorted({n for n in names if n != name}),
            "codes": codes, "frameworks": frameworks, "sources": sources,
            "credentials": sorted(creds, key=lambda c: _date_key(c["issued"]), reverse=True),
            "issuer_verified": verified, "issuer_unverified": len(creds) - selfs - verified, "self_attested": selfs,
            "most_recent": dates[-1] if dates else "",
        })
    out.sort(key=lambda s: (-s["issuer_verified"], -len(s["credentials"]), s["key"]))
    return out


def _date_key(value: str) -> str:
    """Issue dates sort as written, normalised to a UTC-ish prefix (YYYY-MM-DDTHH:MM:SS)."""
    return (value or "")[:19]


def by_framework(skills: list[dict], framework: str) -> list[dict]:
    """`skills` (from `aggregate(..., framework=...)`) grouped under each framework whose name
    contains `framework`: [{framework, skills: [{name, codes of that framework, credentials}]}]."""
    want = framework.strip().casefold()
    groups: dict[str, list[dict]] = {}
    for skill in skills:
        for name in skill["frameworks"]:
            if want in name.casefold():
                codes = [c for c in skill["codes"] if c["framework"] == name]
                groups.setdefault(name, []).append({**skill, "codes": codes})
    return [{"framework": name, "skills": items} for name, items in sorted(groups.items(), key=lambda kv: kv[0].casefold())]
