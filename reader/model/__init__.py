"""The domain every room shares: a paper, and the errors whose message is fit to show a person."""

from reader.model.errors import Cancelled, FetchError, ParseError, ReaderError, StoreError
from reader.model.paper import Paper

__all__ = ["Cancelled", "FetchError", "ParseError", "Paper", "ReaderError", "StoreError"]
