"""Live preview of the centres: an HTTP server that renders each page on request with MkDocs, from current sources."""
