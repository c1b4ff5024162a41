"""JSON (JSON-LD) credentials and presentations, with depth and size caps."""

from __future__ import annotations

from lerwallet.formats import limits
from lerwallet.formats.errors import FormatError
from lerwallet.jsonutil import UntrustedJSONError, loads_untrusted, strict_decoder

NAME = "json"


def sniff(data: bytes) -> bool:
    head = data.lstrip()[:1]
    return head in (b"{", b"[") or data.lstrip().startswith(b"\xef\xbb\xbf")


def loads(data: bytes | str) -> object:
    """Untrusted JSON (`jsonutil.loads_untrusted`: no NaN/Infinity, no duplicate member names, no
    traceback on huge numbers or deep nesting) within the shape caps of `limits` (depth, array
    length, number of values, proofs, @context entries); raises FormatError with a stable code.

    The caps on one object (proofs, @context entries) are checked as the parser builds each
    object. The others need a walk over the whole document (`check_shape`), except for a
    small input, which cannot break them (`_within_caps_by_size`)."""
    try:
        doc = loads_untrusted(data, decoder=_DECODER)
    except UntrustedJSONError as exc:
        if exc.code == "too-deep":
            raise FormatError(f"JSON nests deeper than {limits.MAX_JSON_DEPTH} levels", code="too-deep") from None
        raise FormatError(str(exc), code=exc.code) from None
    if not _within_caps_by_size(data):
        check_shape(doc)
    return doc


# An input of n characters holds at most n values, and at most n/2 items in one array, members
# in one object or @context entries in all (each takes a character and a separator), and it
# nests at most as deep as it has opening brackets. Below this size only depth can break a cap.
SMALL_INPUT = min(limits.MAX_JSON_VALUES, 2 * limits.MAX_JSON_ARRAY, 2 * limits.MAX_CONTEXT_TOTAL) - 2


def _within_caps_by_size(data: bytes | str) -> bool:
    """True when `data` cannot exceed the whole-document caps (values, array and object sizes,
    @context entries in all, depth): a character count and a bracket count decide it."""
    if len(data) > SMALL_INPUT:  # bytes: at least as many as characters
        return False
    open_brackets = data.count(b"{") + data.count(b"[") if isinstance(data, bytes) else data.count("{") + data.count("[")
    return open_brackets < limits.MAX_JSON_DEPTH


def _check_object(obj: dict) -> None:
    """The caps on one object: proofs, @context entries. Checked as the parser builds each object
    (`_DECODER`) and by `check_shape`; a FormatError passes through the parser as it is."""
    proof = obj.get("proof")
    if isinstance(proof, list) and len(proof) > limits.MAX_PROOFS:
        raise FormatError(f"more than {limits.MAX_PROOFS} proofs on one document ({len(proof):,})",
                          code="too-many-proofs")
    ctx = obj.get("@context")
    if isinstance(ctx, list) and len(ctx) > limits.MAX_CONTEXT_ENTRIES:
        raise FormatError(f"more than {limits.MAX_CONTEXT_ENTRIES} entries in one @context ({len(ctx):,})",
                          code="too-many-contexts")


_DECODER = strict_decoder(_check_object, watch=("proof", "@context"))


def check_shape(doc: object) -> None:
    """Raise FormatError when `doc` exceeds a shape cap. One iterative pass (no recursion on
    hostile input), linear in the size of `doc`: every later stage then works on bounded input."""
    values = 0
    contexts = 0
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        values += 1
        if depth > limits.MAX_JSON_DEPTH:
            raise FormatError(f"JSON nests deeper than {limits.MAX_JSON_DEPTH} levels", code="too-deep")
        if isinstance(node, dict):
            if len(node) > limits.MAX_JSON_ARRAY:
                raise FormatError(f"a JSON object has more than {limits.MAX_JSON_ARRAY:,} members", code="too-many")
            _check_object(node)
            ctx = node.get("@context")
            if ctx is not None:
                contexts += len(ctx) if isinstance(ctx, list) else 1
                if contexts > limits.MAX_CONTEXT_TOTAL:
                    raise FormatError(f"more than {limits.MAX_CONTEXT_TOTAL:,} @context entries in one input",
                                      code="too-many-contexts")
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            if len(node) > limits.MAX_JSON_ARRAY:
                raise FormatError(f"a JSON array has more than {limits.MAX_JSON_ARRAY:,} items ({len(node):,})",
                                  code="too-many")
            stack.extend((v, depth + 1) for v in node)
        if values > limits.MAX_JSON_VALUES:
            raise FormatError(f"more than {limits.MAX_JSON_VALUES:,} JSON values in one input", code="too-many")


def classify(doc: object) -> tuple[str, str]:
    """(kind, securing) of a parsed JSON document; raises FormatError for anything else."""
    if not isinstance(doc, dict):
        raise FormatError("JSON is not an object", code="not-a-credential")
    types = doc.get("type", [])
    types = [types] if isinstance(types, str) else [t for t in types if isinstance(t, str)] if isinstance(types, list) else []
    if "VerifiablePresentation" in types:
        return "presentation", "ldp"
    if "VerifiableCredential" in types or "credentialSubject" in doc:
        return "credential", "ldp"
    from lerwallet.formats.ob2 import is_assertion

    if is_assertion(doc):  # Open Badges 2.0 (formats.ob2)
        return "credential", "ob2"
    proofs = doc.get("proof") if isinstance(doc.get("proof"), list) else [doc.get("proof")]
    if "verifiableCredential" in doc or any(isinstance(p, dict) and p.get("proofPurpose") == "authentication" for p in proofs):
        # A presentation without its type (or with another): read it as one, so the
        # presentation.structure check can say what is wrong with it (missing_type).
        return "presentation", "ldp"
    raise FormatError("JSON is neither a verifiable credential nor a presentation", code="not-a-credential")


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import decode_bytes

    doc = loads(data)
    if isinstance(doc, dict) and "credentialSubject" not in doc and isinstance(doc.get("type"), str):
        from lerwallet.formats import lerrs  # only for what could be a résumé: most inputs never load it

        if lerrs.is_lerrs(doc):  # an HR Open LER-RS résumé: the credentials it carries
            return lerrs.decode(doc, source)
    if isinstance(doc, list):  # a JSON array: a bundle of credentials / presentations
        if len(doc) > limits.MAX_CREDENTIALS:
            raise FormatError(f"more than {limits.MAX_CREDENTIALS} items in one file", code="too-many")
        out = []
        for i, item in enumerate(doc):
            sub = f"{source}[{i}]"
            if isinstance(item, str):
                out.extend(decode_bytes(item.encode(), sub))
            else:
                out.append(_envelope(item, sub))
        return out
    env = _envelope(doc, source)
    if env.token is None and env.raw is None:
        env.raw = data  # kept verbatim: signed bytes are never re-serialized
    return [env]


def _envelope(doc: object, source: str):
    from lerwallet.formats import Envelope, decode_bytes

    if isinstance(doc, dict) and _is_enveloped(doc):
        found = decode_bytes(_data_url_payload(doc["id"]).encode(), source)
        return found[0]
    kind, securing = classify(doc)
    return Envelope(source=source, container=NAME, kind=kind, securing=securing, unverified=doc)


def _is_enveloped(doc: dict) -> bool:
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return any(t in ("EnvelopedVerifiableCredential", "EnvelopedVerifiablePresentation") for t in types) and isinstance(
        doc.get("id"), str
    )


def _data_url_payload(url: str) -> str:
    """The payload of a VCDM 2.0 enveloped credential: `data:application/vc+jwt,<token>`."""
    if not url.startswith("data:") or "," not in url:
        raise FormatError("enveloped credential id is not a data: URL", code="unreadable")
    meta, payload = url[5:].split(",", 1)
    if meta.endswith(";base64"):
        import base64

        try:
            return base64.b64decode(payload, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise FormatError("enveloped credential: bad base64 payload", code="unreadable") from None
    from urllib.parse import unquote

    return unquote(payload)
