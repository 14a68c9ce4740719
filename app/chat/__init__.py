"""The employees' chat: the one chat pipeline, its web and OpenAI-compatible adapters."""
