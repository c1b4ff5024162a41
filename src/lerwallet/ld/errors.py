"""JSON-LD failures. Verification turns them into named check failures, never tracebacks."""


class LDError(Exception):
    """A document that cannot be processed as JSON-LD."""


class UnknownContext(LDError):
    """A context URL that is not bundled (and fetching was not allowed)."""

    def __init__(self, url: str) -> None:
        super().__init__(f"unknown context: {url} (not bundled; verify with --online to fetch it)")
        self.url = url


class SafeModeError(LDError):
    """A term, type or property that does not expand to an absolute IRI."""


class FetchError(LDError):
    """An online context fetch that was refused (address policy, size, scheme) or failed."""


class CanonicalizationLimit(LDError):
    """RDFC-1.0 needed more Hash N-Degree Quads work than the limit allows (a "poison" graph).

    RDFC-1.0 (section 4.8 and its security considerations) asks implementations to bound this
    work. The limit is that of rdf-canonize, the canonicalizer of jsonld.js and of the reference
    verifier, with its default work factor: see `lerwallet.ld._pyld.MAX_WORK_FACTOR`.
    """

    code = "canonicalization_limit"
