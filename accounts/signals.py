"""What accounts tells the section apps, which it may not import."""

from django.dispatch import Signal

# The last open service on an account has ended (its final read is in, or
# an unmetered service stopped): the final bill is due. Sent inside the
# transaction with account_id and user_id; receivers queue work on commit.
services_ended = Signal()

# A field activity was completed: sent with activity_id and user_id.
field_activity_completed = Signal()
