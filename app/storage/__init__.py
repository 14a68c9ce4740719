"""Storage: the engine, the SQLModel tables, crud (the only writer) and migrations."""
