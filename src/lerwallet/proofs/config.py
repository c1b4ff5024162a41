"""Canonical N-Quads of a proof configuration, cheaply.

A proof configuration (the proof options plus the document's `@context`) is a flat object
whose only per-credential parts are a few string values (`created`, `verificationMethod`,
`challenge`, ...). Running full JSON-LD processing on it for every credential costs as much
as canonicalizing a small document, so we canonicalize it ONCE per shape with the real
canonicalizer, using placeholder values, and substitute the real values into that template.

The shortcut is only taken when it is provably equivalent:
  - every `@context` entry is a bundled context URL (no inline or remote contexts), so term
    definitions are the known, reviewed ones;
  - every key is a known proof option and every variable value is a string that N-Quads
    writes verbatim (no characters that need escaping); IRIs must use a scheme whose
    placeholder survived expansion unchanged;
  - the template has one blank-node subject and one quad per key with distinct predicates,
    so line order cannot depend on the values.
Anything else takes the full path (`lerwallet.ld.canonize`). Tests compare both paths.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from typing import Callable

from lerwallet.ld import canonize
from lerwallet.ld.errors import SafeModeError

# Proof options whose value varies per proof (and is substituted into the template).
_LITERALS = ("created", "expires", "challenge", "nonce", "domain")
_IRIS = ("verificationMethod",)
# Options whose value is part of the template's identity (they change IRIs or datatypes).
_FIXED = ("type", "cryptosuite", "proofPurpose")
_SAFE_TEXT = re.compile(r"[^\x00-\x20\"<>\\{}|^`\x7f-\x9f]+\Z")
_SAFE_IRI = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+\Z")  # plain ASCII IRIs only
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_FAST_SCHEMES = ("did", "urn", "https", "http")

# loader -> {shape -> template or None}; a template is only valid for the loader that made it.
_templates: "weakref.WeakKeyDictionary[Callable, dict[object, str | None]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _default_loader(url: str) -> dict:
    from lerwallet.ld.loader import offline_loader

    return offline_loader()(url)


def canonize_proof_config(config: dict, loader: Callable[[str], dict] | None = None) -> str:
    """RDFC-1.0 N-Quads of `config` (which carries `@context`). Raises `LDError` subclasses.

    Also refuses (`SafeModeError`) a configuration where some option is not defined by the
    context: its quad would silently vanish and the signature would not cover it.
    """
    fast = _fast(config, loader)
    if fast is not None:
        return fast
    nquads = canonize(config, loader)
    _check_all_terms_kept(config, nquads)
    return nquads


def _fast(config: dict, loader) -> str | None:
    from lerwallet.ld.loader import manifest

    ctx = config.get("@context")
    ctx_list = ctx if isinstance(ctx, list) else [ctx]
    bundled = manifest()
    if not ctx_list or not all(isinstance(c, str) and c in bundled for c in ctx_list):
        return None
    shape: dict[str, object] = {"@context": ctx_list}
    values: dict[str, str] = {}
    for key, value in config.items():
        if key == "@context":
            continue
        if key in _FIXED:
            shape[key] = value
        elif key in _LITERALS or key in _IRIS:
            if not isinstance(value, str) or not _SAFE_TEXT.match(value):
                return None
            if key in _IRIS:
                m = _SCHEME.match(value) if _SAFE_IRI.match(value) else None
                if not m or m.group(1) not in _FAST_SCHEMES:
                    return None
                placeholder = f"{m.group(1)}:lerwallet-placeholder-{key}"
                if m.group(1) in ("http", "https"):
                    placeholder = f"{m.group(1)}://lerwallet.invalid/placeholder-{key}"
            else:
                placeholder = f"lerwallet-placeholder-{key}"
            shape[key] = placeholder
            values[placeholder] = value
        else:
            return None
    fixed = [(k, v) for k, v in shape.items() if k != "@context"]
    cache_key = ((tuple(ctx_list), tuple(sorted(fixed))) if all(isinstance(v, str) for _, v in fixed)
                 else json.dumps(shape, sort_keys=True))  # a type or purpose that is not a string: its JSON
    loader = loader or _default_loader
    with _lock:
        per_loader = _templates.setdefault(loader, {})
    if cache_key in per_loader:
        template = per_loader[cache_key]
    else:
        template = _build_template(shape, list(values), loader)
        with _lock:
            per_loader[cache_key] = template
    if template is None:
        return None
    text = template
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _build_template(shape: dict, placeholders: list[str], loader) -> str | None:
    nquads = canonize(shape, loader)
    _check_all_terms_kept(shape, nquads)
    lines = nquads.splitlines()
    predicates = [line.split(" ", 2)[1] for line in lines if line.startswith("_:c14n0 ")]
    if len(predicates) != len(lines) or len(set(predicates)) != len(predicates):
        return None
    if any(nquads.count(p) != 1 for p in placeholders):
        return None  # a placeholder was rewritten (expanded, escaped) or appears twice
    return nquads


def _check_all_terms_kept(config: dict, nquads: str) -> None:
    expected = sum(
        len(v) if isinstance(v, list) else 1 for k, v in config.items() if k not in ("@context", "id")
    )
    if nquads.count("\n") < expected:
        dropped = ", ".join(sorted(k for k in config if k != "@context"))
        raise SafeModeError(
            f"a proof option is not defined by the document's @context (options: {dropped})"
        )


def clear_cache() -> None:
    """Forget the templates (tests use this to compare the fast and the full path)."""
    with _lock:
        _templates.clear()
