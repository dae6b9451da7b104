from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from annotator import roles
from annotator.views import member_required

from . import services
from .forms import ArticleForm
from .ingest import extract_upload
from .models import Article


@member_required
def article_list(request):
    queryset = (
        Article.objects.visible_to(request.user)
        .select_related("created_by")
        .annotate(
            annotation_count=Count("annotations", filter=Q(annotations__deleted_at__isnull=True)),
            pending_count=Count(
                "annotations",
                filter=Q(annotations__deleted_at__isnull=True, annotations__status="pending"),
            ),
        )
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in Article.Status.values:
        queryset = queryset.filter(status=status)
    q = request.GET.get("q", "").strip()
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(current_revision__text__icontains=word)
        )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/list.html",
        {
            "page": page,
            "statuses": Article.Status.choices,
            "status": status,
            "q": q,
            "can_add": roles.can_manage_articles(request.user),
        },
    )


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
