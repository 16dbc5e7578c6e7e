"""The MkDocs + Material adapter: everything on the engine side that knows MkDocs or Material lives in this package."""
