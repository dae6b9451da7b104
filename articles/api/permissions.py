from rest_framework.permissions import SAFE_METHODS, BasePermission

from articles import roles


class IsMember(BasePermission):
    """Signed in and in one of the newsroom groups (or a superuser)."""

    message = "Your account is not in a newsroom group (Annotator, Editor or Reviewer)."

    def has_permission(self, request, view) -> bool:
        return roles.is_member(request.user)


class EditorWritesOthersRead(IsMember):
    message = "Only editors can change this."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = IsMember.message
            return False
        return request.method in SAFE_METHODS or roles.is_editor(request.user)
