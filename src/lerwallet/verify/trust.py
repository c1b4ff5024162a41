"""Stage 7: issuer trust. Is the issuer one the employer trusts?

Sources, all local unless `--online`:
  * a DCC known-issuer registry file: `{"meta": {...}, "registry": {"did:...": {"name", "url", "location"}}}`
  * a list of registries (the DCC verifier-core format): `[{"name", "type": "dcc-legacy", "url" | "file"}]`
    (`url` entries are fetched only with `--online`; `oidf` trust anchors are not supported)
  * a lerwallet trust file: `{"allow": {id: {"name"}}, "deny": {id: {"name", "reason"}}, "registries": [...],
    "trust_anchors": ["ca.pem"], "crls": ["ca.crl"]}` (PEM CA certificates and their CRLs, relative to the
    file, for x5c issuers);
    `allow`/`deny` may also be plain lists of ids; any other shape is a usage error, never ignored
An issuer in no registry is a warning ("unknown issuer"), never a failure; a denied issuer fails.

A self-attested credential (its issuer is its own subject, or the holder presenting it: a record
the learner made with `lerwallet add`) is reported as such, check code `self_attested`: "self-attested
by the holder", never as an unknown issuer and never as vouched for by a registry (a warning, so
`--strict` refuses it like any claim no third party vouches for). A deny list still applies.
"""

from __future__ import annotations

from pathlib import Path

from lerwallet.errors import InputError
from lerwallet.structs import Struct
from lerwallet.verify.options import Options, read_crl, read_trust_anchor
from lerwallet.verify.report import FAIL, PASS, WARN, Check
from lerwallet.verify.state import CredentialState

MAX_TRUST_BYTES = 4 * 1024 * 1024


class Registry(Struct):
    FIELDS = ("name", "entries")

    def __init__(self, name: str, entries: dict[str, dict] | None = None) -> None:
        self.name = name
        self.entries = {} if entries is None else entries


class TrustStore(Struct):
    FIELDS = ("registries", "deny", "notes", "anchors", "crls")

    def __init__(self, registries: list[Registry] | None = None, deny: dict[str, dict] | None = None,
                 notes: list[str] | None = None, anchors: list[bytes] | None = None, crls: list[bytes] | None = None) -> None:
        self.registries = [] if registries is None else registries
        self.deny = {} if deny is None else deny
        self.notes = [] if notes is None else notes  # registries that could not be loaded, and why
        self.anchors = [] if anchors is None else anchors  # DER CA certificates for x5c issuers (trust_anchors)
        self.crls = [] if crls is None else crls  # DER CRLs for those chains (crls)

    @property
    def empty(self) -> bool:
        return not self.registries and not self.deny


_stores: dict[tuple, TrustStore] = {}


def load(files: list[Path], *, fetch=None) -> TrustStore:
    """Read every trust file (cached per process). Unreadable trust files are a usage error."""
    key = (tuple(str(f) for f in files), fetch is not None)
    if key in _stores:
        return _stores[key]
    store = TrustStore()
    for path in files:
        doc = _read_json(path)
        _add(store, doc, path, fetch)
    _stores[key] = store
    return store


def _read_json(path: Path) -> object:
    import os
    import stat

    try:
        # A FIFO would block the open until a writer comes, a device never ends: regular files only.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(f"trust file {path} is not a regular file (a FIFO, device or socket)",
                             hint="save the trust list to a file and pass its path to --trust")
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            data = handle.read(MAX_TRUST_BYTES + 1)  # one byte past the cap: it may grow
    except OSError as exc:
        raise InputError(f"cannot read trust file {path}: {exc.strerror or exc}", hint="check the --trust path") from None
    if len(data) > MAX_TRUST_BYTES:
        raise InputError(f"trust file {path} is larger than {MAX_TRUST_BYTES // (1024 * 1024)} MiB")
    from lerwallet.jsonutil import UntrustedJSONError, loads_untrusted

    try:
        return loads_untrusted(data)
    except UntrustedJSONError as exc:
        raise InputError(f"trust file {path} is not valid JSON: {exc}") from None


def _add(store: TrustStore, doc: object, path: Path, fetch) -> None:
    if isinstance(doc, dict) and isinstance(doc.get("registry"), dict):
        meta = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
        store.registries.append(Registry(str(meta.get("name") or path.stem if path.stem != "registry" else path.parent.name or path.name), _entries(doc["registry"])))
        return
    if isinstance(doc, list):
        for item in doc:
            _add_registry_ref(store, item, path, fetch)
        return
    if isinstance(doc, dict) and any(k in doc for k in ("allow", "deny", "registries", "trust_anchors", "crls")):
        name = str(doc.get("name") or f"trust file {path.name}")
        store.anchors.extend(_files(doc, "trust_anchors", path, read_trust_anchor, "PEM", "issuing-ca.pem",
                                    "PEM files of CA certificates"))
        store.crls.extend(_files(doc, "crls", path, read_crl, "CRL", "issuing-ca.crl",
                                 "certificate revocation list files (PEM or DER), as the CA publishes them"))
        if doc.get("allow") is not None:
            store.registries.append(Registry(name, _id_entries(doc["allow"], "allow", path)))
        if doc.get("deny") is not None:
            for issuer, info in _id_entries(doc["deny"], "deny", path).items():
                store.deny[issuer] = {**info, "list": name}
        registries = doc.get("registries")
        if registries is not None and not isinstance(registries, list):
            raise InputError(f"trust file {path}: \"registries\" must be a list",
                             hint='for example "registries": [{"name": "DCC", "file": "registry.json"}]')
        for item in registries or []:
            _add_registry_ref(store, item, path, fetch)
        return
    raise InputError(
        f"trust file {path} is not a known format",
        hint="use a DCC registry ({\"registry\": {...}}), a list of registries, or {\"allow\": {...}, \"deny\": {...}}",
    )


def _files(doc: dict, key: str, path: Path, read, kind: str, example: str, takes: str) -> list:
    """What `read` makes of each file a trust file's `key` names (a list of file names, relative
    to the trust file): its trust anchors or its CRLs. A bad file's hint names the trust file."""
    names = doc.get(key)
    if names is not None and not (isinstance(names, list) and all(isinstance(n, str) and n for n in names)):
        raise InputError(f"trust file {path}: \"{key}\" must be a list of {kind} file names",
                         hint=f'for example "{key}": ["{example}"] (relative to the trust file)')
    hint = f'"{key}" in the trust file {path} names {takes}'
    return [item for name in names or [] for item in read(path.parent / name, hint=hint)]


def _id_entries(value: object, key: str, path: Path) -> dict[str, dict]:
    """`allow`/`deny`: `{id: {"name", "reason"}}` or a plain list of ids. Any other shape is a
    usage error: a deny list silently ignored would let a denied issuer through."""
    if isinstance(value, dict):
        return _entries(value)
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return {v: {} for v in value}
    raise InputError(
        f"trust file {path}: \"{key}\" must be an object {{id: {{...}}}} or a list of ids, not {type(value).__name__}",
        hint=f'for example "{key}": {{"did:web:example.edu": {{"name": "Example"}}}} or "{key}": ["did:web:example.edu"]',
    )


def _entries(mapping: dict) -> dict[str, dict]:
    return {str(k): (v if isinstance(v, dict) else {}) for k, v in mapping.items()}


def _add_registry_ref(store: TrustStore, item: object, base: Path, fetch) -> None:
    if isinstance(item, str):
        item = {"file": item} if not item.startswith("https://") else {"url": item}
    if not isinstance(item, dict) or not (isinstance(item.get("file"), str) or isinstance(item.get("url"), str)):
        raise InputError(f"trust file {base}: a registry entry must be a file name, an https URL or "
                         f"{{\"name\", \"file\" | \"url\"}}, not {str(item)[:60]!r}")
    name = str(item.get("name") or item.get("file") or item.get("url") or "registry")
    if item.get("type", "dcc-legacy") != "dcc-legacy":
        store.notes.append(f"{name}: registry type {item.get('type')!r} not supported")
        return
    if isinstance(item.get("file"), str):
        doc = _read_json((base.parent / item["file"]).resolve())
    elif isinstance(item.get("url"), str):
        if fetch is None:
            store.notes.append(f"{name}: not consulted offline (use --online)")
            return
        try:
            from lerwallet.jsonutil import loads_untrusted

            doc = loads_untrusted(fetch(item["url"]))
        except Exception as exc:
            store.notes.append(f"{name}: unreachable ({getattr(exc, 'message', None) or exc})")
            return
    if isinstance(doc, dict) and isinstance(doc.get("registry"), dict):
        store.registries.append(Registry(name, _entries(doc["registry"])))
    else:
        store.notes.append(f"{name}: not a registry")


def run(state: CredentialState, opts: Options, holder: str | None = None) -> list[Check]:
    """`holder`: the holder of the presentation the credential came in (None: it came alone)."""
    store = load(opts.trust_files, fetch=opts.get_fetch())
    issuer = state.issuer_id
    if issuer in store.deny:
        info = store.deny[issuer]
        why = f": {info['reason']}" if info.get("reason") else ""
        return [Check("issuer.trust", FAIL, f"issuer {issuer} is on the deny list of {info['list']}{why}", "issuer_denied")]
    attested = self_attested(state, issuer, holder)
    if attested is not None:
        return [attested]
    vouched = [(r.name, r.entries[issuer]) for r in store.registries if issuer in r.entries]
    if vouched:
        name = vouched[0][1].get("name") or issuer
        registries = ", ".join(n for n, _ in vouched)
        return [Check("issuer.trust", PASS, f"{name}: listed by {registries}", "", {"registries": [n for n, _ in vouched], "name": name})]
    if store.empty and not store.notes:
        return [Check("issuer.trust", WARN, "unknown issuer: no trust list or registry configured (use --trust FILE)", "no_trust_list")]
    consulted = len(store.registries)
    missing = f"; {'; '.join(store.notes)}" if store.notes else ""
    if consulted == 0 and store.notes:
        return [Check("issuer.trust", WARN, f"unknown issuer: no registry could be consulted{missing}", "registry_unavailable")]
    return [Check("issuer.trust", WARN, f"unknown issuer: {issuer} is in none of {consulted} registries{missing}", "unknown_issuer")]


def self_attested(state: CredentialState, issuer: str, holder: str | None) -> Check | None:
    """The `self_attested` check when the issuer attests about itself (it is every subject of
    the credential) or is the holder presenting it; None otherwise."""
    if not issuer:
        return None
    about_itself = state.summary().self_attested if state.securing != "ob2" else False
    if not about_itself and issuer != holder:
        return None
    details = {"self_attested": True, "attester": issuer}
    if holder is None or holder == issuer:
        who = "the holder" if holder is None else f"the holder {issuer}"
        what = ("the issuer is the credential's own subject" if about_itself
                else "the issuer is the holder presenting it")
        return Check("issuer.trust", WARN, f"self-attested by {who}: {what} ({issuer}); the signature shows who made "
                     "the claim, no third party vouches for it", "self_attested", details)
    return Check("issuer.trust", WARN, f"self-attested by its subject {issuer}, not by the presenting holder {holder}: "
                 "no third party vouches for it", "self_attested", details)
