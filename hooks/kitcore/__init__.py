"""Kit model, validation and page generation for the resource centres, free of any MkDocs import."""
