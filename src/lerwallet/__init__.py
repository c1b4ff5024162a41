"""lerwallet: a learner-owned wallet for Learning and Employment Records."""

__version__ = "0.1.0"
