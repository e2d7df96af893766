from tests.api.resources.support import *  # noqa: F403  (fixtures)
