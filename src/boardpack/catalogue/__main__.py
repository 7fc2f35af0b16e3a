"""`python -m boardpack.catalogue`: rewrite the committed `boardpack.schema.json`."""

from .schema import write_schema_file

print(f"wrote {write_schema_file()}")
