"""Everything after the fetch: models, versioned store, search, export, diff and the CLI."""
