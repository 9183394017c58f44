"""The test SMTP server really receives what Django sends."""

from django.core.mail import send_mail


def test_mail_sent_by_django_arrives_at_the_loopback_smtp_server(mailbox) -> None:
    send_mail("Hello", "A body", "from@example.org", ["to@example.org"])
    received = mailbox.wait_for(1)
    assert len(received) == 1
    assert received[0]["Subject"] == "Hello"
    assert "A body" in mailbox.body(received[0])
