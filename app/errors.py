"""The product's errors: one base whose message is what the user is shown, in Korean.

Every error a page or a command may show derives from :class:`GoyongError`, so a page catches one
type (``except GoyongError as err: st.error(err.user_message)``) and a command prints one line
instead of a traceback. The four kinds say what the user can do about it:

* :class:`InvalidInput` — fix what was typed or uploaded (nothing was changed);
* :class:`NotFound` — the thing asked for does not exist (any more);
* :class:`AccessDenied` — it exists, but this account may not open it;
* :class:`NotReady` — something must be built or set up first (the message names the command).

Each kind also derives from the matching built-in exception (``ValueError``, ``LookupError``,
``PermissionError``, ``RuntimeError``), so code written against those keeps working.
"""

from __future__ import annotations


class GoyongError(Exception):
    """Base of every error a user may see; ``str(err)`` is a Korean message they can act on."""

    @property
    def user_message(self) -> str:
        """The Korean message to show (never a traceback, an internal id or personal data)."""
        return str(self)


class InvalidInput(GoyongError, ValueError):
    """Input that breaks a rule: the message names each bad field; nothing was saved."""


class NotFound(GoyongError, LookupError):
    """A requested record does not exist."""


class AccessDenied(GoyongError, PermissionError):
    """A record exists but the current account may not open or change it."""


class NotReady(GoyongError, RuntimeError):
    """Something must be built or configured first; the message names the command that does it."""
