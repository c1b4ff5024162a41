"""Open Badges 2.0 assertions, in the three shapes they travel in:

- JSON (`verification.type` hosted or signed), routed here by `json_doc.classify`;
- a compact JWS whose payload is the assertion (SignedBadge; OB 2.0 "SignedBadge
  Verification"), routed here by `jwt.decode` when the payload is an assertion, not a VC;
- only the URL of a hosted assertion, baked into a PNG (`openbadges` tEXt/iTXt, the legacy form)
  or an SVG (`verify` attribute): an assertion reference `{"id": URL}` whose content is whatever
  the issuer serves at that URL (OB 2.0 "HostedBadge Verification": the input "should only be
  trusted to identify the URI of the hosted verification file").

Nothing here fetches or checks anything: `lerwallet.verify.ob2` does, from `--ob2-cache DIR` or,
only with `--online`, from the web.
"""

from __future__ import annotations

import json

from lerwallet.formats.errors import FormatError

NAME = "ob2"
CONTEXT = "https://w3id.org/openbadges/v2"
MAX_URL = 2048


def is_assertion(doc: object) -> bool:
    """An OB 2.0 (or 1.x) assertion: typed `Assertion`, or (1.x, untyped) a badge and a recipient."""
    if not isinstance(doc, dict):
        return False
    types = doc.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return "Assertion" in types or ("badge" in doc and "recipient" in doc)


def jws_envelope(token: str, payload: dict, source: str):
    from lerwallet.formats import Envelope

    return Envelope(source=source, container="jwt", kind="credential", securing=NAME, unverified=payload, token=token)


def reference(url: str) -> dict:
    """The assertion reference a URL-only baked badge stands for."""
    return {"@context": CONTEXT, "type": "Assertion", "id": url, "verification": {"type": "HostedBadge"}}


def url_envelope(url: str, source: str, *, container: str):
    """A hosted assertion known only by its URL (a baked PNG or SVG). Its original, kept by
    `import`, is the reference as JSON: re-read later, it is the same hosted assertion."""
    from lerwallet.formats import Envelope

    url = url.strip()
    if len(url) > MAX_URL or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url) or "://" not in url:
        raise FormatError("baked badge holds a URL that is not a plain http(s) URL", code="bad-url")
    doc = reference(url)
    raw = (json.dumps(doc, indent=2) + "\n").encode("utf-8")
    return Envelope(source=source, container=container, kind="credential", securing=NAME, unverified=doc, raw=raw,
                    notes=["hosted Open Badges 2.0 assertion baked as a URL only"])
