"""Follow-ups (跟进记录), tasks and the "my day" list, and notifications."""
