"""One table: the messages, as a textbook chat stores them."""

from django.db import models


class Message(models.Model):
    room = models.CharField(max_length=129, db_index=True)
    message_id = models.CharField(max_length=255, unique=True)
    user_id = models.CharField(max_length=255)
    user_name = models.CharField(max_length=255)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
