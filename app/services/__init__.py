"""Use cases, one package per capability (hiring/, employment/, ads/, posting/), plus small shared
ones (overview, explorer, audit). Pages and components import a capability through its package
``__init__`` only; see docs/architecture.md."""
