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
