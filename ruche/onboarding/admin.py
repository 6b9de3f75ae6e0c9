from django.contrib import admin

from ruche.onboarding.models import ChatRoom


@admin.register(ChatRoom)
class ChatRoomAdmin(admin.ModelAdmin):
    list_display = ["name", "is_general", "position", "url"]
    list_filter = ["is_general"]
    search_fields = ["name", "purpose"]
