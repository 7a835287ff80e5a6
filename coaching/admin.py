from django.contrib import admin

from coaching.models import Attachment, Post, Space, Thread


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "team"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["subject", "space", "author", "is_question", "last_post_at"]
    list_select_related = ["space", "author"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["thread", "author", "is_system", "is_decision", "created_at"]
    list_select_related = ["thread", "author"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "post"]
