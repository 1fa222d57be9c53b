"""Alembic environment for storydesk's store, run programmatically by ``storydesk.store._migrate``.

The caller hands over an open SQLAlchemy connection (inside a transaction) as
``config.attributes["connection"]``; there is no alembic.ini and no offline mode.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs the alembic CLI by hand
    raise RuntimeError("storydesk migrations run through storydesk.store.Store.open(), not the alembic CLI")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
