"""The project's programs (package `kitcli`): check, build, serve, new, schema, bench; run by the Makefile."""
