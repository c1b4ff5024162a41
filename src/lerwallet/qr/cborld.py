"""A CBOR-LD decoder, for the QR codes of the DCC Learner Credential Wallet (`VP1-...`).

CBOR-LD (W3C CCG draft; reference implementation @digitalbazaar/cborld, which this follows
fact by fact) compresses a JSON-LD document into CBOR: keys become integer *term ids*
(keywords fixed in `KEYWORDS`; every other term numbered from 100 in steps of 2, in the order
its context is first processed and, within a context, in sorted order; an odd id marks an
array value), and values are compressed by type (context URLs and a few other strings to
table integers, `https://` / `urn:uuid:` / `did:key:` URLs to [scheme, rest], multibase
strings and dates to bytes and integers).

Formats read (CBOR tag first):
  - 0x0501 "legacy-singleton" (what the DCC wallet's @digitalcredentials/cborld 4 writes) and
    0x0500 (uncompressed);
  - 0xcb1d CBOR-LD 1.0, `[registryEntryId, payload]`, registry entry 0 (uncompressed) and 1
    (no type table); other entries need tables this decoder does not have and are refused;
  - 0x0600-0x067f "legacy-range" with registry entry 0 or 1, the same way.

Contexts come from the loader passed in (lerwallet's bundled contexts, offline): an unknown
context is an error, never a fetch. Everything is bounded: the input is one QR code (a few
kilobytes), nesting is capped, and a malformed input is `CborldError`, never a traceback.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

MAX_DEPTH = 48
MAX_BYTES = 64 * 1024

KEYWORDS = {
    "@context": 0, "@type": 2, "@id": 4, "@value": 6, "@direction": 8, "@graph": 10, "@included": 12, "@index": 14,
    "@json": 16, "@language": 18, "@list": 20, "@nest": 22, "@reverse": 24, "@base": 26, "@container": 28,
    "@default": 30, "@embed": 32, "@explicit": 34, "@none": 36, "@omitDefault": 38, "@prefix": 40, "@preserve": 42,
    "@protected": 44, "@requireAll": 46, "@set": 48, "@version": 50, "@vocab": 52, "@propagate": 54,
}
FIRST_CUSTOM_TERM_ID = 100
STRING_TABLE = {
    "https://www.w3.org/ns/activitystreams": 16, "https://www.w3.org/2018/credentials/v1": 17,
    "https://www.w3.org/ns/did/v1": 18, "https://w3id.org/security/suites/ed25519-2018/v1": 19,
    "https://w3id.org/security/suites/ed25519-2020/v1": 20, "https://w3id.org/cit/v1": 21, "https://w3id.org/age/v1": 22,
    "https://w3id.org/security/suites/x25519-2020/v1": 23, "https://w3id.org/veres-one/v1": 24,
    "https://w3id.org/webkms/v1": 25, "https://w3id.org/zcap/v1": 26, "https://w3id.org/security/suites/hmac-2019/v1": 27,
    "https://w3id.org/security/suites/aes-2019/v1": 28, "https://w3id.org/vaccination/v1": 29,
    "https://w3id.org/vc-revocation-list-2020/v1": 30, "https://w3id.org/dcc/v1": 31,
    "https://w3id.org/vc/status-list/v1": 32, "https://www.w3.org/ns/credentials/v2": 33,
    "https://w3id.org/security/data-integrity/v1": 48, "https://w3id.org/security/multikey/v1": 49,
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": 50, "https://w3id.org/security/data-integrity/v2": 51,
}
URL_SCHEMES = {1: "http://", 2: "https://", 3: "urn:uuid:", 4: "data:", 1024: "did:v1:nym:", 1025: "did:key:"}
CRYPTOSUITES = {"ecdsa-rdfc-2019": 1, "ecdsa-sd-2023": 2, "eddsa-rdfc-2022": 3, "ecdsa-xi-2023": 4}
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
MULTIBASE = "https://w3id.org/security#multibase"
LEGACY_TABLE = {"context": STRING_TABLE, "url": STRING_TABLE, "none": STRING_TABLE,
                "https://w3id.org/security#cryptosuiteString": CRYPTOSUITES}
LEGACY_AS_BYTES = {"none", XSD_DATE, XSD_DATETIME}
AS_BYTES = LEGACY_AS_BYTES | {"url"}

TAG_1_0, TAG_UNCOMPRESSED, TAG_COMPRESSED = 0xCB1D, 0x0500, 0x0501
TAG_RANGE_START, TAG_RANGE_END = 0x0600, 0x06FF

_MISSING = object()  # a JSON-LD "undefined", distinct from null


class CborldError(ValueError):
    """CBOR-LD this decoder cannot read; `code` names why."""

    def __init__(self, message: str, code: str = "bad-cborld") -> None:
        super().__init__(message)
        self.code = code


def decode(data: bytes, load_context) -> dict:
    """The JSON-LD document in CBOR-LD `data`; `load_context(url) -> dict` gives contexts."""
    import cbor2

    if len(data) > MAX_BYTES:
        raise CborldError("CBOR-LD input is too large", "too-large")
    try:
        top = cbor2.loads(data)
    except Exception as exc:  # cbor2 raises several kinds for damaged input
        raise CborldError(f"not CBOR: {type(exc).__name__}") from None
    if not isinstance(top, cbor2.CBORTag):
        raise CborldError("not CBOR-LD (no CBOR-LD tag)")
    tag, value = top.tag, top.value
    legacy = False
    if tag == TAG_1_0 or TAG_RANGE_START <= tag <= TAG_RANGE_END:
        if tag == TAG_1_0:
            if not isinstance(value, (list, tuple)) or len(value) != 2 or type(value[0]) is not int:
                raise CborldError("CBOR-LD 1.0 value is not [registryEntryId, payload]")
            registry, payload = value
        else:
            registry, payload = tag - TAG_RANGE_START, value
            if registry >= 128:
                raise CborldError("CBOR-LD legacy-range registry entries above 127 are not supported", "unsupported")
        if registry == 0:
            return _plain(payload)
        if registry != 1:
            raise CborldError(f"CBOR-LD registry entry {registry} needs a type table this reader does not have",
                              "unsupported")
        table: dict[str, dict] = {"context": {}, "url": {}, "none": {}}
    elif tag == TAG_UNCOMPRESSED:
        return _plain(value)
    elif tag == TAG_COMPRESSED:
        legacy = True
        table = LEGACY_TABLE
    else:
        raise CborldError(f"unknown CBOR-LD tag {tag:#x}")
    if not isinstance(payload if not legacy else value, Mapping):
        raise CborldError("CBOR-LD payload is not a map")
    converter = _Converter(load_context, table, legacy)
    try:
        out = converter.convert(value if legacy else payload)
    except RecursionError:
        raise CborldError("CBOR-LD nests too deeply") from None
    return out


def _plain(value, depth: int = 0):
    if depth > MAX_DEPTH:
        raise CborldError("CBOR-LD nests too deeply")
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise CborldError("uncompressed CBOR-LD with non-string keys")
        return {k: _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise CborldError(f"CBOR value of type {type(value).__name__} has no JSON form")


# -- contexts and term ids ------------------------------------------------------------------------

class _ContextLoader:
    def __init__(self, load) -> None:
        self.load_document = load
        self.entries: dict[str, dict] = {}
        self.next_id = FIRST_CUSTOM_TERM_ID
        self.term_to_id = dict(KEYWORDS)
        self.id_to_term = {v: k for k, v in KEYWORDS.items()}

    def term_for_id(self, term_id) -> tuple[str, bool]:
        if isinstance(term_id, str):
            return term_id, False
        if type(term_id) is not int:
            raise CborldError("CBOR-LD map key is neither a term id nor a string")
        plural = bool(term_id & 1)
        term = self.id_to_term.get(term_id - 1 if plural else term_id)
        if term is None:
            raise CborldError(f"unknown CBOR-LD term id {term_id} (a context this reader does not know?)", "unknown-term")
        return term, plural

    def load(self, context) -> dict:
        key = context if isinstance(context, str) else json.dumps(context, sort_keys=True)
        if key in self.entries:
            return self.entries[key]
        url = None
        if isinstance(context, str):
            url = context
            context = self._document(url)
        return self._add(context, url, key)

    def _document(self, url: str) -> dict:
        try:
            doc = self.load_document(url)
        except Exception as exc:
            raise CborldError(f"context {url[:100]} is not available offline ({type(exc).__name__})", "unknown-context") from None
        ctx = doc.get("@context") if isinstance(doc, Mapping) else None
        if not isinstance(ctx, Mapping):
            raise CborldError(f"context {url[:100]} is not a single context object", "unsupported")
        return dict(ctx)

    def _add(self, context, url, key) -> dict:
        if not isinstance(context, Mapping):
            raise CborldError("a context that is not an object")
        importing = context.get("@import")
        if importing:
            imported = self.entries.get(importing) or self._add(self._document(importing), importing, importing)
            context = {**imported["context"], **context}
        terms: dict[str, dict] = {}
        protected = bool(context.get("@protected"))
        for name in sorted(context):
            if name in KEYWORDS:
                continue
            definition = context[name]
            if definition is None:
                continue
            if isinstance(definition, str):
                definition = {"@id": definition}
            elif not isinstance(definition, Mapping):
                raise CborldError(f"invalid term definition for {name[:60]!r}")
            terms[name] = {**definition, "protected": protected}
            if name not in self.term_to_id:
                self.term_to_id[name] = self.next_id
                self.id_to_term[self.next_id] = name
                self.next_id += 2
        entry = {"context": context, "terms": terms}
        self.entries[url or key] = entry
        return entry


class _Active:
    def __init__(self, terms: dict, previous, loader: _ContextLoader) -> None:
        self.terms, self.previous, self.loader = terms, previous, loader
        self.type_terms = ["@type"] + [t for t, d in terms.items() if d.get("@id") == "@type"]

    def embedded(self, contexts) -> "_Active":
        return _Active(_update(self.terms, contexts, self.loader), self, self.loader)

    def property_scoped(self, term: str) -> "_Active":
        scoped = self.terms.get(term, {}).get("@context", _MISSING)
        return _Active(_update(self._reverted(), scoped, self.loader, property_scope=True), self, self.loader)

    def type_scoped(self, types) -> "_Active":
        terms = self.terms
        for t in sorted(types):
            terms = _update(terms, terms.get(t, {}).get("@context", _MISSING) if isinstance(t, str) else _MISSING,
                            self.loader, type_scope=True)
        return _Active(terms, self, self.loader)

    def _reverted(self) -> dict:
        out = {}
        for term, definition in self.terms.items():
            if definition.get("propagate"):
                out[term] = definition
                continue
            current, found = self, None
            while current.previous is not None:
                current = current.previous
                found = current.terms.get(term)
                if found is None or found.get("propagate"):
                    break
            if found is not None:
                out[term] = found
        return out

    def info(self, term_id) -> tuple[str, bool, dict]:
        term, plural = self.loader.term_for_id(term_id)
        return term, plural, self.terms.get(term, {})


def _update(active: dict, contexts, loader: _ContextLoader, *, property_scope: bool = False, type_scope: bool = False) -> dict:
    if contexts is _MISSING:
        contexts = [{}]
    if not isinstance(contexts, (list, tuple)):
        contexts = [contexts]
    for context in contexts:
        if context is None:  # a null context: JSON-LD clears the active context
            active = {}
            continue
        entry = loader.load(context)
        context = entry["context"]
        propagate = context.get("@propagate", not type_scope)
        new = {k: {**v, "propagate": propagate} for k, v in entry["terms"].items()}
        _resolve_curies(active, context, new)
        for term, old in active.items():
            if term in new:
                if old.get("protected") and not property_scope and not _same(new[term], old):
                    raise CborldError(f"redefinition of the protected term {term[:60]!r}", "protected")
            elif context.get(term, _MISSING) is not None:
                new[term] = dict(old)
        active = new
    return active


def _same(a: dict, b: dict) -> bool:
    skip = {"protected", "propagate"}
    return {k: v for k, v in a.items() if k not in skip} == {k: v for k, v in b.items() if k not in skip}


def _curie(active: dict, context, value, depth: int = 0):
    if not isinstance(value, str) or ":" not in value or depth > 8:
        return value
    prefix, _, suffix = value.partition(":")
    found = context.get(prefix)
    if found is None:
        found = active.get(prefix)
    if found is None:
        return value
    base = found if isinstance(found, str) else found.get("@id")
    if not isinstance(base, str):
        return value
    return _curie(active, context, base + suffix, depth + 1)


def _resolve_curies(active: dict, context, new: dict) -> None:
    for name, definition in new.items():
        if "@id" in definition:
            definition["@id"] = _curie(active, context, definition["@id"])
        else:
            resolved = _curie(active, context, name)
            if ":" in resolved:
                definition["@id"] = resolved
        if "@type" in definition:
            definition["@type"] = _curie(active, context, definition["@type"])
        if not isinstance(definition.get("@id"), str):
            raise CborldError(f"the term {name[:60]!r} has no IRI", "unsupported")


# -- values ------------------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58(data: bytes) -> str:
    """base58btc (the Bitcoin alphabet), as multibase `z` and did:key use it."""
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58[r])
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + "".join(reversed(out))


def _integral(value) -> bool:
    return (type(value) is int) or (type(value) is float and value.is_integer())


def _iso(ms: int) -> str:
    try:
        moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
    except OverflowError:
        raise CborldError("CBOR-LD date out of range") from None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _Converter:
    def __init__(self, load, table: dict, legacy: bool) -> None:
        self.loader = _ContextLoader(load)
        self.reverse = {name: {v: k for k, v in sub.items()} for name, sub in table.items()}
        self.legacy = legacy
        self.as_bytes = LEGACY_AS_BYTES if legacy else AS_BYTES

    def convert(self, payload) -> dict:
        return self._object(_Active({}, None, self.loader), payload, 0)

    def _object(self, active: _Active, value: Mapping, depth: int) -> dict:
        if depth > MAX_DEPTH:
            raise CborldError("CBOR-LD nests too deeply")
        out: dict = {}
        single, plural = value.get(0, _MISSING), value.get(1, _MISSING)
        if single is not _MISSING and plural is not _MISSING:
            raise CborldError("both a single and a plural @context")
        if single is not _MISSING:
            out["@context"] = self._context(single)
        elif plural is not _MISSING:
            if not isinstance(plural, (list, tuple)):
                raise CborldError("plural @context is not an array")
            out["@context"] = [self._context(c) for c in plural]
        active = active.embedded(out.get("@context", _MISSING))
        active = active.type_scoped(self._types(active, value))
        entries = []
        for key, item in value.items():
            if key in (0, 1):
                continue
            term, is_plural, definition = active.info(key)
            entries.append((term, is_plural, definition, item))
        entries.sort(key=lambda e: e[0])
        for term, is_plural, definition, item in entries:
            scoped = active.property_scoped(term)
            kind = definition.get("@type")
            if is_plural and not isinstance(item, (list, tuple)):
                raise CborldError(f"plural term {term[:60]!r} without an array")
            items = item if is_plural else [item]
            converted = [self._value(scoped, kind, v, term, definition, depth + 1) for v in items]
            out[term] = converted if is_plural else converted[0]
        return out

    def _context(self, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            url = self.reverse["context"].get(value)
            if url is None:
                raise CborldError(f"undefined compressed context {value}")
            return url
        return _plain(value)

    def _types(self, active: _Active, value: Mapping) -> set:
        found = set()
        for type_term in active.type_terms:
            term_id = self.loader.term_to_id.get(type_term, type_term)
            item = value.get(term_id, _MISSING)
            if item is _MISSING and isinstance(term_id, int):
                item = value.get(term_id + 1, _MISSING)
            if item is _MISSING:
                continue
            term, _plural, definition = active.info(term_id)
            for v in (item if isinstance(item, (list, tuple)) else [item]):
                decoded = self._decode(v, "@vocab", term, definition)
                found.add(v if decoded is _MISSING else decoded)
        return {t for t in found if isinstance(t, str)}

    def _value(self, active: _Active, kind, value, term: str, definition: dict, depth: int):
        if value is None:
            return None
        if depth > MAX_DEPTH:
            raise CborldError("CBOR-LD nests too deeply")
        if not isinstance(value, Mapping):
            decoded = self._decode(value, kind, term, definition)
            if decoded is not _MISSING:
                return decoded
        if isinstance(value, (list, tuple)):
            return [self._value(active, kind, v, term, definition, depth + 1) for v in value]
        if isinstance(value, Mapping):
            return self._object(active, value, depth + 1)
        raise CborldError("CBOR-LD value with no JSON form")

    def _decode(self, value, kind, term: str, definition: dict):
        """The JSON value of one compressed scalar, or _MISSING for an array to walk."""
        if term in ("@id", "@type") or definition.get("@id") in ("@id", "@type") or kind in ("@id", "@vocab"):
            table_type = "url"
        else:
            table_type = kind if isinstance(kind, str) else "none"
        sub = self.reverse.get(table_type)
        if sub is not None:
            is_bytes = isinstance(value, bytes)
            uses_bytes = table_type in self.as_bytes
            number = None
            if is_bytes and uses_bytes:
                if len(value) not in (1, 2, 4):
                    raise CborldError("improperly formatted table bytes")
                number = int.from_bytes(value, "big")
            elif _integral(value) and not uses_bytes:
                number = int(value)
            if number is not None:
                decoded = sub.get(number)
                if decoded is not None:
                    return decoded
                if not (self.legacy and table_type == "url" and number in self.loader.id_to_term):
                    raise CborldError(f"compressed value {number} not found in the {table_type} table")
            elif is_bytes and table_type != "none":
                if len(value) not in (1, 2, 4, 8):
                    raise CborldError("improperly formatted integer bytes")
                return int.from_bytes(value, "big", signed=True)
        if table_type == "url":
            return self._url(value)
        if table_type == MULTIBASE and isinstance(value, bytes) and value[:1] in (b"z", b"u", b"M"):
            rest = value[1:]
            if value[:1] == b"z":
                return "z" + _b58(rest)
            if value[:1] == b"u":
                return "u" + base64.urlsafe_b64encode(rest).decode().rstrip("=")
            return "M" + base64.b64encode(rest).decode()
        if table_type == XSD_DATE and _integral(value) and not isinstance(value, bool):
            return _iso(int(value) * 1000)[:10]
        if table_type == XSD_DATETIME:
            if _integral(value) and not isinstance(value, bool):
                return _iso(int(value) * 1000).replace(".000Z", "Z")
            if isinstance(value, (list, tuple)) and len(value) == 2 and all(_integral(v) for v in value):
                return _iso(int(value[0]) * 1000 + int(value[1]))
        if isinstance(value, (list, tuple)):
            return _MISSING
        if isinstance(value, bytes):
            raise CborldError(f"bytes where {term[:60]!r} expects no compressed type")
        return value

    def _url(self, value):
        if isinstance(value, str):
            return value
        if isinstance(value, (list, tuple)):
            scheme = URL_SCHEMES.get(value[0]) if value and type(value[0]) is int else None
            if scheme in ("http://", "https://") and len(value) == 2 and isinstance(value[1], str):
                return scheme + value[1]
            if scheme == "urn:uuid:" and len(value) == 2:
                if isinstance(value[1], str):
                    return scheme + value[1]
                if isinstance(value[1], bytes) and len(value[1]) == 16:
                    import uuid

                    return scheme + str(uuid.UUID(bytes=value[1]))
            if scheme == "data:":
                if len(value) == 3 and isinstance(value[1], str) and isinstance(value[2], bytes):
                    return f"data:{value[1]};base64,{base64.b64encode(value[2]).decode()}"
                if len(value) == 2 and isinstance(value[1], str):
                    return "data:" + value[1]
            if scheme in ("did:v1:nym:", "did:key:") and 2 <= len(value) <= 3:
                parts = [v if isinstance(v, str) else "z" + _b58(v) if isinstance(v, bytes) else None for v in value[1:]]
                if None not in parts:
                    return scheme + parts[0] + (f"#{parts[1]}" if len(parts) > 1 else "")
            raise CborldError("unknown compressed URL")
        if _integral(value) and not isinstance(value, bool):
            term, _ = self.loader.term_for_id(int(value))
            return term
        raise CborldError("a URL value of an unexpected type")
