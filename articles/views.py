import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from . import pending as pending_upload
from . import roles, services
from .encodings import CHOICES as ENCODING_LABELS
from .encodings import EncodingUnknown
from .extracted import Extracted
from .fetch import Fetched, extract_fetched, fetch, fetched_name
from .forms import ArticleForm
from .ingest import check_size, extract_bytes
from .intake import article_create_extracted


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
    """Paste, upload or fetch. A file or page whose encoding was a guess is not saved at once:
    the page shows its text with a warning and an encoding picker, and the editor sees the text
    again in another encoding, or saves it as shown."""
    if not roles.can_manage_articles(request.user):
        messages.error(request, "Only editors can add articles.")
        return redirect("article-list")
    form = ArticleForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for name in ("file", "pending", "fetch", "encoding"):
            data.pop(name, None)
        encoding = form.cleaned_data.get("encoding") or None
        preview = request.POST.get("action") == "preview"
        pending = None
        try:
            pending = _pending_source(form.cleaned_data)
            if pending is None:
                article, created = services.article_create(user=request.user, **data)
            else:
                extracted = _extract_pending(pending, encoding=encoding)
                if preview or not extracted.encoding_certain:
                    return render(
                        request,
                        "articles/new.html",
                        _preview_context(form, pending, extracted, chosen=encoding),
                    )
                article, created = article_create_extracted(
                    user=request.user, extracted=extracted, given=data
                )
        except EncodingUnknown as error:
            context = _preview_context(form, pending, None, chosen=encoding)
            form.add_error("encoding", error.message_dict.get("file") or error.messages)
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
    return render(request, "articles/new.html", context)


def _pending_source(cleaned: dict) -> pending_upload.Pending | None:
    """The bytes to extract: kept from the previous step, uploaded now, or fetched now."""
    if cleaned.get("pending"):
        return pending_upload.loads(cleaned["pending"])
    upload = cleaned.get("file")
    if upload is not None:
        check_size(upload.size)
        return pending_upload.Pending(name=upload.name or "", data=upload.read())
    if cleaned.get("fetch"):
        url = cleaned["source_url"]
        fetched = fetch(url)
        return pending_upload.Pending(
            name=fetched_name(fetched), data=fetched.data, declared=fetched.charset, url=url
        )
    return None


def _extract_pending(pending: pending_upload.Pending, *, encoding: str | None) -> Extracted:
    if pending.url:
        content_type = "text/html" if pending.name.endswith(".html") else "text/plain"
        fetched = Fetched(pending.url, content_type, pending.declared, pending.data)
        return extract_fetched(fetched, url=pending.url, encoding=encoding)
    return extract_bytes(pending.name, pending.data, encoding=encoding)


def _preview_context(form, pending, extracted: Extracted | None, *, chosen: str | None) -> dict:
    guessed = extracted.encoding if extracted else ""
    # The picker starts on what the text was read as, so "save" keeps what the editor saw.
    form.data = form.data.copy()
    form.data["pending"] = pending_upload.dumps(pending)
    form.data["encoding"] = chosen or guessed
    form.data.pop("fetch", None)
    return {
        "form": form,
        "preview": extracted.text.split("\n\n") if extracted else None,
        "preview_title": extracted.title if extracted else "",
        "pending_name": pending.url or pending.name,
        "guessed": ENCODING_LABELS.get(guessed, guessed),
        "uncertain": extracted is None or not extracted.encoding_certain,
        "chosen": bool(chosen),
    }
