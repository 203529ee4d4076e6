"""URL converters. Ids in URLs are positive and fit a 64-bit column, so an absurd
number is a 404 from the resolver, never an overflow in the database."""


class IdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
