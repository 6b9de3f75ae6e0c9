import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ruche.accounts import services
from ruche.accounts.forms import AccountDeleteForm, ApiTokenForm, SignInForm
from ruche.accounts.models import ApiToken
from ruche.core.actions import attempt, refusing, submitted, tell
from ruche.core.ratelimit import client_ip, hit
from ruche.core.registry import build_sections, registry
from ruche.members.models import Member
from ruche.members.personas import PERSONAS, PERSONAS_BY_KEY

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _demo_mode() -> bool:
    # Settings refuse DEMO_MODE without DEBUG; checked again here, where it would let anyone in.
    return settings.DEMO_MODE and settings.DEBUG


def _demo_personas():
    if not _demo_mode():
        return []
    present = set(
        Member.objects.filter(betagouv_id__in=[p.betagouv_id for p in PERSONAS]).values_list(
            "betagouv_id", flat=True
        )
    )
    return [p for p in PERSONAS if p.betagouv_id in present]


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if not hit("login-address", email) or not hit("login-ip", client_ip(request)):
            form.add_error(
                None,
                _(
                    "Trop de demandes de lien en peu de temps. Pour votre sécurité, attendez "
                    "15 minutes avant de réessayer."
                ),
            )
            status = 429
        else:
            services.sign_in_link_request(email=email, next_url=next_url)
            request.session["sign_in_email"] = email
            return redirect("accounts:link-sent")
    elif request.method == "POST":
        status = 400
    if request.GET.get("proconnect") == "echec":
        messages.error(
            request,
            _(
                "La connexion avec ProConnect n’a pas abouti : votre adresse ne correspond à aucun "
                "membre de la communauté. Demandez plutôt un lien de connexion par e-mail."
            ),
        )
    context = {"form": form, "next": next_url, "personas": _demo_personas()}
    return render(request, "accounts/login.html", context, status=status)


@never_cache
@login_not_required
@require_safe
def link_sent(request):
    context = {
        "email": request.session.get("sign_in_email", ""),
        # `make run` prints e-mails instead of sending them: say where the link is.
        "printed_in_terminal": settings.DEBUG
        and settings.MAILERS["default"]["BACKEND"] == "ruche.core.mail.ConsoleBackend",
    }
    return render(request, "accounts/link_sent.html", context)


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def magic_link(request, secret):
    # GET only shows a button: mail scanners open links, and must not use them up.
    if request.method == "GET":
        link = services.magic_link_find(secret=secret)
        if link is None:
            return render(request, "accounts/link_invalid.html", status=410)
        return render(request, "accounts/magic_link.html", {"link": link})
    link = services.magic_link_consume(secret=secret)
    if link is None:
        return render(request, "accounts/link_invalid.html", status=410)
    login(request, link.member, backend=MODEL_BACKEND)  # rotates the session key
    messages.success(request, _("Vous êtes connecté·e. Bienvenue !"))
    return redirect(_safe_next(request, link.next_url) or settings.LOGIN_REDIRECT_URL)


@never_cache
@login_not_required
@require_POST
def demo_login(request):
    if not _demo_mode():
        raise Http404
    persona = PERSONAS_BY_KEY.get(request.POST.get("persona", ""))
    if persona is None:
        raise Http404
    member = get_object_or_404(Member, betagouv_id=persona.betagouv_id, is_active=True)
    login(request, member, backend=MODEL_BACKEND)
    messages.success(
        request,
        _("Vous êtes connecté·e en tant que %(name)s (%(label)s).")
        % {"name": member.display_name, "label": persona.label},
    )
    return redirect(settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Vous êtes déconnecté·e. À bientôt !"))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def account(request):
    """Mon compte: where a member manages their API tokens (and, later, preferences)."""
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    created = submitted(
        request,
        form,
        lambda data: services.api_token_create(
            actor=request.user, member=request.user, name=data["name"]
        ),
    )
    if created is not None:
        _token, new_secret = created
        form = ApiTokenForm()
    status = 400 if form.errors else 200
    tokens = ApiToken.objects.filter(member=request.user, revoked_at__isnull=True)
    context = {
        "token_form": form,
        "tokens": tokens,
        "new_secret": new_secret,
        "sections": build_sections(registry.account, request),
    }
    return render(request, "accounts/account.html", context, status=status)


@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, member=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect(reverse("accounts:account") + "#jetons")


@never_cache
@require_safe
def my_data(request):
    """« Mes données »: download everything about me, or delete my account."""
    return _my_data_page(request, AccountDeleteForm())


def _my_data_page(request, delete_form, status=200):
    context = {"delete_form": delete_form, "email": request.user.email}
    return render(request, "accounts/my_data.html", context, status=status)


def _json_download(data: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-ruche.json"'
    return response


@never_cache
@require_POST
def data_export(request):
    data = services.personal_data_request(actor=request.user)
    if data is not None:
        return _json_download(data)
    messages.success(
        request,
        _(
            "Vos données sont nombreuses : nous préparons le fichier et vous envoyons par e-mail "
            "un lien pour le télécharger, valable 24 heures."
        ),
    )
    return redirect("accounts:my-data")


@never_cache
@require_safe
@refusing
def data_download(request, secret):
    error, content = attempt(
        lambda: services.data_export_find(actor=request.user, secret=secret),
        lambda export: export.content,
    )
    if error:
        tell(request, error=error)
        return redirect("accounts:my-data")
    return _json_download(content)


@never_cache
@require_POST
@refusing
def account_delete(request):
    form = AccountDeleteForm(request.POST)
    member = request.user
    done = submitted(
        request,
        form,
        lambda data: (
            services.account_delete(actor=member, member=member, confirmation=data["confirmation"])
            or True
        ),
    )
    if not done:
        return _my_data_page(request, form, status=400)
    logout(request)
    messages.success(
        request,
        _("Votre compte est supprimé. Merci pour tout ce que vous avez apporté à la communauté."),
    )
    return redirect("core:home")
