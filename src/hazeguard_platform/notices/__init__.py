"""Notices: one channel-neutral message per event, delivered by e-mail, signed webhook, SMS and the
in-app inbox through an outbox, acknowledged by recipients and escalated when overdue."""
