"""The Zensical engine: renders a centre model with Zensical (Material's successor), with no MkDocs hook."""
