"""Text generation of the posting assistant: one interface (:mod:`app.llm.base`), three backends
(offline composer, OpenAI-compatible chat server, local transformers model) and the factory
:func:`app.llm.factory.make_generator` that picks one from the settings."""
