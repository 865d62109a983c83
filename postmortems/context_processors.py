from .permissions import can_write, is_reviewer, roles_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_roles": sorted(roles_of(user)),
        "user_can_write": can_write(user),
        "user_is_reviewer": is_reviewer(user),
    }
