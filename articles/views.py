import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from . import roles, services
from .forms import ArticleForm
from .ingest import extract_upload


def member_required(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.is_member(request.user):
            raise PermissionDenied("Your account is not in a newsroom group; ask an administrator.")
        return view(request, *args, **kwargs)

    return wrapped


@member_required
def article_new(request):
    if not roles.can_manage_articles(request.user):
        messages.error(request, "Only editors can add articles.")
        return redirect("article-list")
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file", None)
        try:
            if upload is not None:
                data = extract_upload(upload).article_fields(data)
            article, created = services.article_create(user=request.user, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if created:
                messages.success(
                    request, f"“{article.title}” was added: check the text below, then annotate."
                )
            else:
                messages.info(
                    request, "This text is already here; you are looking at the existing article."
                )
            return redirect("article-annotate", pk=article.pk)
    return render(request, "articles/new.html", {"form": form})
