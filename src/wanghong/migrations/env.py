from __future__ import annotations

from alembic import context

# Every capability's tables, so that autogenerate sees the whole schema.
from wanghong.accounts import models as _accounts  # noqa: F401
from wanghong.agency import models as _agency  # noqa: F401
from wanghong.assistant import models as _assistant  # noqa: F401
from wanghong.audience import models as _audience  # noqa: F401
from wanghong.commerce import models as _commerce  # noqa: F401
from wanghong.compliance import models as _compliance  # noqa: F401
from wanghong.fraud import models as _fraud  # noqa: F401
from wanghong.governance import models as _governance  # noqa: F401
from wanghong.growth import models as _growth  # noqa: F401
from wanghong.kit import audit as _audit  # noqa: F401
from wanghong.kit import cache as _cache  # noqa: F401
from wanghong.kit import idempotency as _idempotency  # noqa: F401
from wanghong.kit.db.base import Base
from wanghong.kit.db.session import make_engine
from wanghong.marketplace import models as _marketplace  # noqa: F401
from wanghong.originality import models as _originality  # noqa: F401
from wanghong.selection import models as _selection  # noqa: F401
from wanghong.settlement import models as _settlement  # noqa: F401
from wanghong.traffic import models as _traffic  # noqa: F401
from wanghong.workspace import models as _workspace  # noqa: F401

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_engine(url)
    with engine.connect() as connection:
        # Batch mode lets later migrations ALTER tables on SQLite, which cannot alter columns in place.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
