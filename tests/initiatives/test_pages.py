import re

import pytest
from django.core.exceptions import PermissionDenied

from ruche.engagement.models import Contribution
from ruche.initiatives.enums import InitiativeStatus, NeedState
from ruche.initiatives.models import (
    BudgetRequest,
    CallForHelp,
    Comment,
    Initiative,
    Need,
    NeedSupport,
    Participation,
    Report,
    Support,
)
from ruche.initiatives.services.budget import budget_request_decide
from ruche.initiatives.services.conversation import initiative_support, update_post
from ruche.initiatives.services.moderation import (
    content_hide,
    content_restore,
    report_create,
    report_dismiss,
)
from ruche.initiatives.services.needs import need_close, need_support, need_update
from ruche.initiatives.services.participation import initiative_colead_add, initiative_join
from ruche.members.models import Competence
from tests.core.test_markdown import HOSTILE, _elements, _scheme_of
from tests.factories import IncubatorFactory, MemberFactory, StartupFactory
from tests.helpers import assert_constant_queries
from tests.initiatives.factories import (
    CommentFactory,
    InitiativeFactory,
    NeedFactory,
    RoleFactory,
)
from tests.initiatives.html import fragment, normalised, text_of

pytestmark = pytest.mark.django_db

# The outcome message htmx shows inside the swapped block; after a reload it is a page message.
FEEDBACK = re.compile(r'<div class="fr-alert[^"]*"[^>]*>\s*<p>[^<]*</p>\s*</div>')
PROPOSAL = {
    "title": "Apéro de rentrée",
    "kind": "event",
    "summary": "Un apéro pour se retrouver.",
    "description": "Avec des **croissants**.",
    "scope": "community",
}


class TestProposing:
    def test_a_member_proposes_an_initiative_and_lands_on_its_page(self, member_client, member):
        response = member_client.post("/initiatives/proposer/", PROPOSAL)
        initiative = Initiative.objects.get()
        assert response.status_code == 302
        assert response["Location"] == initiative.get_absolute_url()
        page = member_client.get(response["Location"])
        assert "Votre initiative est proposée" in page.text
        assert "<strong>croissants</strong>" in page.text
        assert initiative.is_led_by(member)

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ({"title": ""}, "title", "Donnez un titre à l’initiative."),
            ({"title": "é" * 201}, "title", "200 caractères (il en compte 201)"),
            ({"kind": "apero"}, "kind", "Type d’initiative inconnu"),
            ({"kind": ""}, "kind", "Choisissez le type d’initiative"),
            ({"summary": " "}, "summary", "Résumez l’initiative"),
            ({"scope": "startup", "startup": "inconnue"}, "startup", "Startup introuvable"),
            ({"budget_amount": "100"}, "budget_purpose", "Dites à quoi servira ce budget."),
        ],
    )
    def test_bad_input_is_explained_next_to_the_field_and_at_the_top(
        self, member_client, change, field, message
    ):
        response = member_client.post("/initiatives/proposer/", {**PROPOSAL, **change})
        assert response.status_code == 400
        summary = re.search(r"data-error-summary>(.*?)</div>", response.text, re.S).group(1)
        assert message in text_of(summary)
        field_error = fragment(response.text, f"id_{field}-desc-error")
        assert message in text_of(field_error)
        assert not Initiative.objects.exists()
        assert not Contribution.objects.exists()
        # What was typed is still there.
        assert "Avec des **croissants**.</textarea>" in response.text

    def test_a_startup_scope_takes_the_startup_and_its_incubator(self, member_client):
        startup = StartupFactory(slug="cantine-verte")
        data = {**PROPOSAL, "scope": "startup", "startup": "cantine-verte"}
        assert member_client.post("/initiatives/proposer/", data).status_code == 302
        initiative = Initiative.objects.get()
        assert (initiative.startup, initiative.incubator) == (startup, startup.incubator)

    def test_an_incubator_scope_needs_the_incubator(self, member_client):
        incubator = IncubatorFactory(slug="dinum")
        response = member_client.post("/initiatives/proposer/", {**PROPOSAL, "scope": "incubator"})
        assert "Choisissez l’incubateur concerné." in response.text
        data = {**PROPOSAL, "scope": "incubator", "incubator": "dinum"}
        assert member_client.post("/initiatives/proposer/", data).status_code == 302
        assert Initiative.objects.get().incubator == incubator

    def test_a_budget_request_goes_with_the_proposal(self, member_client):
        data = {**PROPOSAL, "budget_amount": "250", "budget_purpose": "Le lieu."}
        member_client.post("/initiatives/proposer/", data)
        budget = BudgetRequest.objects.get()
        assert (budget.amount, budget.status) == (250, "pending")

    def test_proposing_for_a_need_ticks_it(self, member_client):
        need = NeedFactory(title="Les nouveaux sont perdus")
        page = member_client.get(f"/initiatives/proposer/?besoin={need.pk}")
        box = re.search(rf'<input[^>]*id="id_needs_{need.pk}"[^>]*>', page.text).group(0)
        assert "checked" in box
        member_client.post("/initiatives/proposer/", {**PROPOSAL, "needs": [need.pk]})
        assert list(Initiative.objects.get().needs.all()) == [need]

    def test_searching_needs_without_javascript_keeps_the_form_and_saves_nothing(
        self, member_client
    ):
        chosen = NeedFactory(title="Trop de réunions")
        NeedFactory(title="Pas de salle pour les ateliers")
        NeedFactory(title="Les alumni perdent le contact")
        data = {**PROPOSAL, "needs": [chosen.pk], "besoins_q": "salle"}
        response = member_client.post(
            "/initiatives/proposer/", {**data, "action": "chercher-besoins"}
        )
        assert response.status_code == 200
        assert not Initiative.objects.exists()
        listed = text_of(fragment(response.text, "besoins-liste"))
        assert "Trop de réunions" in listed  # still ticked
        assert "Pas de salle pour les ateliers" in listed
        assert "alumni" not in listed
        assert 'value="Apéro de rentrée"' in response.text

    def test_the_needs_picker_swap_matches_the_full_page(self, member_client):
        chosen = NeedFactory(title="Trop de réunions")
        NeedFactory(title="Pas de salle pour les ateliers")
        full = member_client.post(
            "/initiatives/proposer/",
            {**PROPOSAL, "needs": [chosen.pk], "besoins_q": "salle", "action": "chercher-besoins"},
        )
        swap = member_client.get(
            "/initiatives/proposer/besoins/",
            {"besoins_q": "salle", "needs": [chosen.pk]},
            headers={"HX-Request": "true", "HX-Target": "besoins-liste"},
        )
        inner = fragment(full.text, "besoins-liste")
        inner = inner[inner.index(">") + 1 : inner.rindex("</div>")]
        assert normalised(swap.text) == normalised(inner)
        assert "Pas de salle" in swap.text

    def test_already_proposed_shows_close_initiatives_and_needs(self, member_client):
        InitiativeFactory(title="Apéro de rentrée 2025", status=InitiativeStatus.DONE)
        NeedFactory(title="On ne se croise plus, un apéro ?")
        InitiativeFactory(title="Groupe égalité")
        swap = member_client.get(
            "/initiatives/proposer/suggestions/",
            {"title": "apéro rentrée"},
            headers={"HX-Request": "true", "HX-Target": "deja-propose"},
        )
        assert "Déjà proposé ?" in swap.text
        assert "Apéro de rentrée 2025" in swap.text
        assert "On ne se croise plus" in swap.text
        assert "Groupe égalité" not in swap.text
        full = member_client.get("/initiatives/proposer/", {"titre": "apéro rentrée"})
        inner = fragment(full.text, "deja-propose")
        inner = inner[inner.index(">") + 1 : inner.rindex("</div>")]
        assert normalised(swap.text) == normalised(inner)

    def test_hidden_initiatives_are_never_suggested(self, member_client):
        InitiativeFactory(title="Apéro masqué", hidden=True)
        swap = member_client.get("/initiatives/proposer/suggestions/", {"title": "apéro"})
        assert "Apéro masqué" not in swap.text


class TestList:
    def test_filters_and_search_narrow_the_list(self, member_client, member):
        incubator = IncubatorFactory(title="Fabrique sociale")
        InitiativeFactory(title="Apéro de rentrée", kind="event")
        InitiativeFactory(title="Guide d’hébergement", kind="tool", incubator=incubator)
        looking = InitiativeFactory(title="Groupe égalité", kind="working_group")
        RoleFactory(initiative=looking, count=2)
        mine = InitiativeFactory(title="Club de lecture", lead=member, kind="other")
        InitiativeFactory(title="Apéro masqué", hidden=True)

        def listed(query):
            page = member_client.get(f"/initiatives/?{query}")
            assert page.status_code == 200
            return re.findall(r'fr-card__title">\s*<a href="[^"]+">([^<]+)</a>', page.text)

        assert len(listed("")) == 4
        assert listed("kind=tool") == ["Guide d’hébergement"]
        assert listed(f"incubator={incubator.slug}") == ["Guide d’hébergement"]
        assert listed("looking_for_help=on") == ["Groupe égalité"]
        assert listed("mine=on") == [mine.title]
        assert listed("scope=incubator") == []  # the factory's initiatives are community-wide
        assert len(listed("scope=community")) == 4
        assert listed("q=apero") == ["Apéro de rentrée"]
        assert listed("q=apero&status=done") == []

    def test_sorting_by_supports_and_by_help_needed(self, member_client):
        quiet = InitiativeFactory(title="Calme")
        popular = InitiativeFactory(title="Populaire")
        for _n in range(3):
            initiative_support(actor=MemberFactory(), initiative=popular)
        RoleFactory(initiative=quiet, count=5)

        def first(sort):
            page = member_client.get(f"/initiatives/?sort={sort}")
            return re.search(r'fr-card__title">\s*<a href="[^"]+">([^<]+)</a>', page.text).group(1)

        assert first("supported") == "Populaire"
        assert first("help_needed") == "Calme"

    def test_a_paused_initiative_is_not_said_to_look_for_people(self, member_client):
        paused = InitiativeFactory(title="En pause", status=InitiativeStatus.PAUSED)
        RoleFactory(initiative=paused, label="Accueil", count=9)
        going = InitiativeFactory(title="En cours", status=InitiativeStatus.IN_PROGRESS)
        RoleFactory(initiative=going, label="Café", count=1)
        page = member_client.get("/initiatives/?sort=help_needed")
        card = r'<div class="fr-card.*?</h3>.*?</div>\s*</div>\s*</div>'
        cards = re.findall(card, page.text, re.S)
        assert "En cours" in cards[0]
        paused_card = next(card for card in cards if "En pause" in card)
        assert "Accueil" not in paused_card
        assert "Café" in text_of(cards[0])
        looking = member_client.get("/initiatives/?looking_for_help=on").text
        assert looking.count("fr-card__title") == 1

    def test_an_empty_list_says_what_to_do(self, member_client):
        page = member_client.get("/initiatives/?q=introuvable")
        assert "Aucune initiative ne correspond" in page.text
        assert "/initiatives/proposer/?titre=introuvable" in page.text

    def test_the_results_swap_matches_the_full_page(self, member_client):
        InitiativeFactory(title="Apéro de rentrée")
        InitiativeFactory(title="Guide d’hébergement")
        full = member_client.get("/initiatives/?q=apero")
        swap = member_client.get(
            "/initiatives/?q=apero", headers={"HX-Request": "true", "HX-Target": "resultats"}
        )
        assert normalised(swap.text) == normalised(fragment(full.text, "resultats"))
        assert "Guide" not in swap.text

    def test_the_list_runs_the_same_queries_for_10_or_200_initiatives(self, member_client):
        incubator = IncubatorFactory()
        proposer = MemberFactory()

        def add(count):
            for _n in range(count):
                initiative = InitiativeFactory(lead=proposer, incubator=incubator)
                RoleFactory(initiative=initiative)
                Support.objects.create(initiative=initiative, member=proposer)

        assert_constant_queries(member_client, "/initiatives/?looking_for_help=on", add)

    def test_the_search_runs_the_same_queries_for_10_or_200_results(self, member_client):
        def add(count):
            for _n in range(count):
                RoleFactory(initiative=InitiativeFactory(title="Apéro du jeudi"))

        assert_constant_queries(member_client, "/initiatives/?q=apero", add)

    def test_paginated_pages_keep_the_filters(self, member_client):
        for _n in range(30):
            InitiativeFactory(kind="tool")
        page = member_client.get("/initiatives/?kind=tool")
        assert "?kind=tool&amp;page=2" in page.text or "kind=tool&amp;sort=recent&amp;page=2" in (
            page.text
        )


class TestInitiativePage:
    def test_it_shows_roles_places_leads_needs_timeline_and_actions(self, member_client):
        need = NeedFactory(title="Les nouveaux sont perdus")
        initiative = InitiativeFactory(title="Parcours d’accueil", needs=[need])
        RoleFactory(initiative=initiative, label="Parrains", count=3, skill="patience")
        full = RoleFactory(initiative=initiative, label="Rédaction", count=1)
        initiative_join(actor=MemberFactory(), initiative=initiative, role=full)
        page = member_client.get(initiative.get_absolute_url())
        participation = text_of(fragment(page.text, "participation"))
        assert "Parrains" in participation
        assert "3 places restantes sur 3" in participation
        assert "compétence souhaitée : patience" in participation
        assert "Complet" in participation
        assert page.text.count('name="role"') == 1  # no button for the full role
        assert "Les nouveaux sont perdus" in page.text
        assert initiative.proposer.display_name in text_of(page.text)
        assert "Qui contacter" in page.text
        assert "Changer le statut" not in page.text  # not a lead

    def test_the_lead_and_the_animation_team_see_their_actions(self, client, animator):
        initiative = InitiativeFactory()
        client.force_login(initiative.proposer)
        page = client.get(initiative.get_absolute_url())
        assert "Changer le statut" in page.text
        assert "Publier un point d’étape" in page.text
        assert "Modérer cette initiative" not in page.text
        client.force_login(animator)
        page = client.get(initiative.get_absolute_url())
        assert "Changer le statut" in page.text
        assert "Modérer cette initiative" in page.text

    def test_a_lead_is_offered_neither_support_nor_report_on_their_initiative(self, client):
        initiative = InitiativeFactory()
        url = initiative.get_absolute_url()
        client.force_login(initiative.proposer)
        own = client.get(url).text
        assert "Vous portez cette initiative." in text_of(fragment(own, "support"))
        assert "Je soutiens" not in own
        assert "Signaler cette initiative" not in own
        refused = client.get(f"/signaler/initiative/{initiative.pk}/")
        assert refused.status_code == 403
        assert "Vous portez cette initiative : vous pouvez la modifier" in refused.text
        swap = client.post(f"{url}soutenir/", headers={"HX-Request": "true"})
        assert "votre soutien lui est déjà acquis" in swap.text
        assert not Support.objects.exists()
        client.force_login(MemberFactory())
        other = client.get(url).text
        assert "Je soutiens" in other
        assert "Signaler cette initiative" in other

    def test_joining_a_role_through_the_page(self, member_client, member):
        role = RoleFactory(label="Accueil", count=1)
        url = role.initiative.get_absolute_url()
        response = member_client.post(f"{url}rejoindre/", {"role": role.pk}, follow=True)
        assert "Vous avez rejoint l’initiative pour le rôle « Accueil »." in response.text
        assert "Vous participez à cette initiative, comme « Accueil »." in response.text
        again = member_client.post(f"{url}rejoindre/", {"role": role.pk}, follow=True)
        assert "Vous avez déjà rejoint cette initiative." in again.text
        other = MemberFactory()
        member_client.force_login(other)
        full = member_client.post(f"{url}rejoindre/", {"role": role.pk}, follow=True)
        assert "Ce rôle est complet : toutes les places sont prises." in full.text
        assert Participation.objects.count() == 1
        assert CallForHelp.objects.get().taken == 1

    def test_the_join_swap_matches_the_page_after_a_reload(self, member_client):
        role = RoleFactory(label="Accueil", count=2)
        url = role.initiative.get_absolute_url()
        swap = member_client.post(
            f"{url}rejoindre/",
            {"role": role.pk},
            headers={"HX-Request": "true", "HX-Target": "participation"},
        )
        assert swap.status_code == 200
        assert "Vous avez rejoint l’initiative" in swap.text  # the outcome, inside the block
        reload = member_client.get(url)
        without_feedback = FEEDBACK.sub("", swap.text)
        assert normalised(without_feedback) == normalised(fragment(reload.text, "participation"))
        assert "1 place restante sur 2" in text_of(swap.text)

    def test_the_support_swap_matches_the_page_after_a_reload(self, member_client):
        initiative = InitiativeFactory()
        url = initiative.get_absolute_url()
        swap = member_client.post(
            f"{url}soutenir/", headers={"HX-Request": "true", "HX-Target": "support"}
        )
        assert "1 membre soutient cette initiative" in text_of(swap.text)
        reload = member_client.get(url)
        without_feedback = FEEDBACK.sub("", swap.text)
        assert normalised(without_feedback) == normalised(fragment(reload.text, "support"))
        again = member_client.post(
            f"{url}soutenir/", headers={"HX-Request": "true", "HX-Target": "support"}
        )
        assert "Vous soutenez déjà cette initiative." in again.text
        assert Support.objects.count() == 1

    def test_an_in_place_outcome_is_said_once_in_its_block_and_never_on_a_later_page(
        self, member_client
    ):
        initiative = InitiativeFactory()
        url = initiative.get_absolute_url()
        RoleFactory(initiative=initiative, label="Accueil")
        htmx = {"HX-Request": "true"}
        support = member_client.post(f"{url}soutenir/", headers=htmx | {"HX-Target": "support"})
        join = member_client.post(f"{url}rejoindre/", headers=htmx | {"HX-Target": "participation"})
        assert text_of(support.text).count("Merci pour votre soutien.") == 1
        assert text_of(join.text).count("Vous avez rejoint l’initiative.") == 1
        assert "Merci pour votre soutien." not in join.text
        for later in (url, "/", "/initiatives/"):
            page = member_client.get(later).text
            assert "Merci pour votre soutien." not in page, later
            assert "Vous avez rejoint l’initiative." not in page, later

    def test_a_status_change_by_a_non_lead_is_refused_with_a_reason(self, member_client):
        initiative = InitiativeFactory()
        response = member_client.post(
            f"{initiative.get_absolute_url()}statut/", {"status": "in_progress"}
        )
        assert response.status_code == 403
        assert "Seul·es les porteur·ses de l’initiative et l’équipe d’animation" in response.text
        initiative.refresh_from_db()
        assert initiative.status == InitiativeStatus.IDEA

    def test_the_lead_moves_the_status_and_the_budget_rule_is_explained(self, client, animator):
        initiative = InitiativeFactory()
        BudgetRequest.objects.create(
            initiative=initiative, amount=100, purpose="Le lieu.", requested_by=initiative.proposer
        )
        client.force_login(initiative.proposer)
        url = f"{initiative.get_absolute_url()}statut/"
        refused = client.post(url, {"status": "in_progress"})
        assert refused.status_code == 400
        assert "attend l’accord de l’équipe d’animation" in refused.text
        paused = client.post(url, {"status": "paused", "reason": ""})
        assert "pourquoi" in text_of(fragment(paused.text, "id_reason-desc-error"))
        moved = client.post(url, {"status": "looking_for_help"}, follow=True)
        assert "Statut changé : « Recherche de contributeurs »." in moved.text
        timeline = text_of(moved.text)
        assert "« Idée » → « Recherche de contributeurs »" in timeline

    def test_a_budget_decision_agrees_with_the_budget(self, client, animator):
        initiative = InitiativeFactory(title="Apéro")
        budget = BudgetRequest.objects.create(
            initiative=initiative, amount=80, purpose="Café.", requested_by=initiative.proposer
        )
        budget_request_decide(actor=animator, budget_request=budget, approve=True)
        client.force_login(initiative.proposer)
        page = text_of(client.get(initiative.get_absolute_url()).text)
        assert "80 € — Accordé " in page
        assert "Budget accordé pour « Apéro »" in client.get("/notifications/").text

    def test_the_animation_team_decides_a_budget_from_the_page(self, client, animator):
        initiative = InitiativeFactory()
        budget = BudgetRequest.objects.create(
            initiative=initiative, amount=100, purpose="Le lieu.", requested_by=initiative.proposer
        )
        client.force_login(animator)
        url = f"{initiative.get_absolute_url()}budget/{budget.pk}/decider/"
        refused = client.post(url, {"decision": "refuse", "message": ""})
        assert "Expliquez le refus" in refused.text
        done = client.post(url, {"decision": "approve", "message": "Allez-y !"}, follow=True)
        assert "Budget accordé" in done.text
        budget.refresh_from_db()
        assert budget.status == "approved"

    def test_comments_are_published_edited_and_deleted_by_their_author(self, member_client):
        initiative = InitiativeFactory()
        url = initiative.get_absolute_url()
        empty = member_client.post(f"{url}commentaires/", {"body": " "})
        assert empty.status_code == 400
        assert "Le commentaire est vide" in empty.text
        member_client.post(f"{url}commentaires/", {"body": "Bonne idée"})
        comment = Comment.objects.get()
        member_client.post(f"/commentaires/{comment.pk}/modifier/", {"body": "Très bonne idée"})
        page = member_client.get(url)
        assert "Très bonne idée" in page.text
        assert "modifié" in page.text
        member_client.post(f"/commentaires/{comment.pk}/supprimer/")
        assert not Comment.objects.exists()

    def test_a_mention_links_to_the_members_profile(self, member_client):
        camille = MemberFactory(betagouv_id="camille.laurent", display_name="Camille Laurent")
        comment = CommentFactory(body="Une idée pour @camille.laurent et @nobody.here")
        page = member_client.get(comment.initiative.get_absolute_url()).text
        body = fragment(page, f"commentaire-{comment.pk}")
        assert f'<a href="{camille.get_absolute_url()}"' in body
        assert ">@camille.laurent</a>" in body
        assert "et @nobody.here" in body

    def test_someone_elses_comment_cannot_be_edited(self, member_client):
        comment = CommentFactory()
        response = member_client.post(f"/commentaires/{comment.pk}/modifier/", {"body": "Non"})
        assert response.status_code == 403
        assert "vos propres commentaires" in response.text

    @pytest.mark.parametrize("source", HOSTILE)
    def test_hostile_markdown_is_inert_in_descriptions_comments_and_updates(
        self, member_client, source
    ):
        initiative = InitiativeFactory(title=source[:200], description=source)
        CommentFactory(initiative=initiative, body=source)
        update_post(actor=initiative.proposer, initiative=initiative, body=source)
        page = member_client.get(initiative.get_absolute_url())
        assert page.status_code == 200
        blocks = re.findall(r'<div class="ruche-markdown[^"]*">(.*?)</div>', page.text, re.S)
        assert len(blocks) == 3
        for html in blocks:
            for tag, attrs in _elements(html):
                assert tag in {"p", "a", "strong", "em", "code", "pre", "blockquote", "ul",
                               "ol", "li", "h2", "h3", "h4", "table", "thead", "tbody", "tr",
                               "th", "td", "del", "s", "br", "hr"}, html  # fmt: skip
                for name, value in attrs.items():
                    assert not name.startswith("on"), html
                    assert name not in {"style", "src", "srcdoc"}, html
                    if name == "href":
                        assert _scheme_of(value or "") in {None, "http", "https", "mailto"}, html
        assert not re.search(
            r"<\s*(script|iframe|svg|img|object|embed)\b",
            page.text.split("</header>", 1)[1].rsplit("<footer", 1)[0],
            re.I,
        )

    def test_hidden_initiatives_are_only_for_their_leads_and_the_animation_team(
        self, member_client, client, animator
    ):
        initiative = InitiativeFactory(title="Masquée", hidden=True)
        assert member_client.get(initiative.get_absolute_url()).status_code == 404
        assert "Masquée" not in member_client.get("/initiatives/").text
        client.force_login(initiative.proposer)
        assert (
            "est masquée par l’équipe d’animation" in client.get(initiative.get_absolute_url()).text
        )
        client.force_login(animator)
        assert client.get(initiative.get_absolute_url()).status_code == 200


class TestQueryCounts:
    """Detail pages and the moderation queue cost the same whatever the crowd on them."""

    def test_the_initiative_page_with_many_comments_roles_and_participants(self, member_client):
        initiative = InitiativeFactory()

        def add(count):
            for _n in range(count):
                role = RoleFactory(initiative=initiative, count=3)
                initiative_join(actor=MemberFactory(), initiative=initiative, role=role)
                initiative_join(actor=MemberFactory(), initiative=initiative)
                initiative_support(actor=MemberFactory(), initiative=initiative)
                CommentFactory(initiative=initiative)
                update_post(actor=initiative.proposer, initiative=initiative, body="Oui")
                initiative_colead_add(
                    actor=initiative.proposer, initiative=initiative, member=MemberFactory()
                )
                initiative.needs.add(NeedFactory())

        assert_constant_queries(member_client, initiative.get_absolute_url(), add, few=3, many=40)

    def test_the_need_page_with_many_comments_and_initiatives(self, member_client):
        need = NeedFactory()

        def add(count):
            for _n in range(count):
                CommentFactory(initiative=None, need=need)
                InitiativeFactory(needs=[need])
                need_support(actor=MemberFactory(), need=need)

        assert_constant_queries(member_client, need.get_absolute_url(), add, few=3, many=40)

    def test_the_moderation_queue_with_many_reports(self, client, animator):
        client.force_login(animator)

        def add(count):
            for _n in range(count):
                reporter = MemberFactory()
                comment = CommentFactory()
                need = NeedFactory()
                initiative = InitiativeFactory()
                for kind, target in (
                    ("comment", comment),
                    ("need", need),
                    ("initiative", initiative),
                ):
                    report_create(actor=reporter, target_type=kind, target=target, reason="Pub.")
                BudgetRequest.objects.create(
                    initiative=initiative, amount=10, purpose="Café.", requested_by=reporter
                )
                content_hide(
                    actor=animator, target_type="comment", target=CommentFactory(), note="Non."
                )
                content_hide(actor=animator, target_type="need", target=NeedFactory(), note="Non.")
                decided = BudgetRequest.objects.create(
                    initiative=InitiativeFactory(), amount=10, purpose="Thé.", requested_by=reporter
                )
                budget_request_decide(actor=animator, budget_request=decided, approve=True)
                dismissed = report_create(
                    actor=reporter, target_type="initiative", target=InitiativeFactory(), reason="?"
                )
                report_dismiss(actor=animator, report=dismissed)

        assert_constant_queries(client, "/moderation/", add, few=3, many=30)


class TestNeeds:
    def test_raising_a_need_and_its_page(self, member_client, member):
        empty = member_client.post("/besoins/nouveau/", {"title": ""})
        assert empty.status_code == 400
        assert "Donnez un titre au besoin" in empty.text
        assert not Need.objects.exists()
        response = member_client.post(
            "/besoins/nouveau/", {"title": "Trop de réunions", "description": "Vraiment."}
        )
        need = Need.objects.get()
        assert response["Location"] == need.get_absolute_url()
        page = member_client.get(need.get_absolute_url())
        assert "Vous avez exprimé ce besoin." in page.text
        assert f"/initiatives/proposer/?besoin={need.pk}" in page.text

    def test_raising_a_need_shows_similar_ones_with_me_too(self, member_client, member):
        mine = NeedFactory(title="Trop de réunions le lundi", author=member)
        shared = NeedFactory(title="Trop de réunions de synchronisation")
        need_support(actor=member, need=shared)
        other = NeedFactory(title="Des réunions trop longues")
        NeedFactory(title="Pas de salle")
        NeedFactory(title="Réunions cachées", hidden=True)
        InitiativeFactory(title="Moins de réunions")  # initiatives are not suggested here

        swap = member_client.get("/besoins/nouveau/suggestions/", {"title": "trop de réunions"})

        assert "Déjà exprimé ?" in swap.text
        found = {
            need.pk: text_of(fragment(swap.text, f"suggestion-besoin-{need.pk}"))
            for need in (mine, shared, other)
        }
        assert "vous l’avez exprimé" in found[mine.pk]
        assert "vous avez dit « moi aussi »" in found[shared.pk]
        assert "Moi aussi : Des réunions trop longues" in found[other.pk]
        assert "Pas de salle" not in swap.text
        assert "cachées" not in swap.text
        assert "Moins de réunions" not in swap.text
        assert (
            member_client.get("/besoins/nouveau/suggestions/", {"title": "tr"}).text.strip() == ""
        )
        form = member_client.get("/besoins/nouveau/").text
        assert 'data-hx-get="/besoins/nouveau/suggestions/"' in form
        assert "Rester anonyme" in form
        assert 'id="deja-propose"' in form

    def test_need_suggestions_run_the_same_queries_for_10_or_200_needs(self, member_client):
        def add(count):
            for _n in range(count):
                need_support(actor=MemberFactory(), need=NeedFactory(title="Trop de réunions"))

        assert_constant_queries(member_client, "/besoins/nouveau/suggestions/?title=réunions", add)

    def test_me_too_on_a_suggestion_answers_in_place_or_goes_to_the_need(
        self, member_client, member
    ):
        need = NeedFactory(title="Trop de réunions")
        swap = member_client.post(
            f"{need.get_absolute_url()}moi-aussi/",
            {"title": "Trop de réunions", "description": "Brouillon"},
            headers={"HX-Request": "true", "HX-Target": f"suggestion-besoin-{need.pk}"},
        )
        item = text_of(swap.text)
        assert swap.text.strip().startswith(f'<li id="suggestion-besoin-{need.pk}"')
        assert "C’est noté : vous rencontrez aussi ce problème." in item
        assert "vous avez dit « moi aussi »" in item
        assert NeedSupport.objects.filter(need=need, member=member).exists()
        # Without JavaScript the button posts the form to the need, which then shows it.
        other = NeedFactory(title="Trop de réunions encore")
        plain = member_client.post(
            f"{other.get_absolute_url()}moi-aussi/", {"title": "Trop de"}, follow=True
        )
        assert plain.redirect_chain[-1][0] == f"{other.get_absolute_url()}#support"
        assert "C’est noté : vous rencontrez aussi ce problème." in plain.text
        assert not Need.objects.filter(title="Trop de").exists()

    def test_members_see_who_raised_a_need_unless_it_was_raised_anonymously(self, client, animator):
        author = MemberFactory(display_name="Noa Courage")
        client.force_login(author)
        client.post("/besoins/nouveau/", {"title": "Des remarques sexistes", "anonymous": "on"})
        client.post("/besoins/nouveau/", {"title": "Pas de salle pour les ateliers"})
        hidden, named = Need.objects.order_by("pk")
        assert (hidden.anonymous, hidden.author, named.anonymous) == (True, author, False)
        own = text_of(client.get(hidden.get_absolute_url()).text)
        assert "anonymement : les autres membres ne voient pas votre nom" in own
        for reader in (MemberFactory(), animator):
            client.force_login(reader)
            assert "Noa Courage" not in client.get(hidden.get_absolute_url()).text
            page = client.get(named.get_absolute_url()).text
            assert f'par <a href="{author.get_absolute_url()}">Noa Courage</a>' in page
        client.logout()
        assert client.get(hidden.get_absolute_url()).status_code == 302  # to sign in

    def test_only_whoever_raised_a_need_chooses_its_anonymity(self, client, animator):
        need = NeedFactory(anonymous=True)
        edit = f"{need.get_absolute_url()}modifier/"
        client.force_login(animator)
        assert "Rester anonyme" not in client.get(edit).text
        client.post(edit, {"title": "Titre revu par l’équipe"})
        need.refresh_from_db()
        assert (need.title, need.anonymous) == ("Titre revu par l’équipe", True)
        with pytest.raises(PermissionDenied, match="choisit d’y rester anonyme"):
            need_update(actor=animator, need=need, fields={"anonymous": False})
        client.force_login(need.author)
        assert "Rester anonyme" in client.get(edit).text
        client.post(edit, {"title": need.title})
        need.refresh_from_db()
        assert not need.anonymous

    def test_whoever_raised_a_need_is_not_offered_to_report_it(self, client):
        need = NeedFactory()
        client.force_login(need.author)
        assert "Signaler ce besoin" not in client.get(need.get_absolute_url()).text
        assert client.get(f"/signaler/besoin/{need.pk}/").status_code == 403
        client.force_login(MemberFactory())
        assert "Signaler ce besoin" in client.get(need.get_absolute_url()).text

    def test_me_too_counts_without_naming(self, member_client):
        need = NeedFactory()
        supporter = MemberFactory(display_name="Zoé Secrète")
        need_support(actor=supporter, need=need)
        swap = member_client.post(
            f"{need.get_absolute_url()}moi-aussi/",
            headers={"HX-Request": "true", "HX-Target": "support"},
        )
        assert "2 autres membres rencontrent aussi ce problème" in text_of(swap.text)
        page = member_client.get(need.get_absolute_url())
        assert "Zoé Secrète" not in page.text
        without_feedback = FEEDBACK.sub("", swap.text)
        assert normalised(without_feedback) == normalised(fragment(page.text, "support"))

    def test_the_list_puts_shared_needs_first_with_their_state(self, member_client):
        lonely = NeedFactory(title="Seul")
        shared = NeedFactory(title="Partagé")
        for _n in range(2):
            need_support(actor=MemberFactory(), need=shared)
        addressed = NeedFactory(title="Traité", state=NeedState.ADDRESSED)
        page = member_client.get("/besoins/")
        titles = re.findall(r'fr-card__title[^"]*">\s*<a href="[^"]+">([^<]+)</a>', page.text)
        assert titles[0] == "Partagé"
        assert set(titles) == {lonely.title, shared.title, addressed.title}
        assert "Traité</p>" in page.text or ">Traité<" in page.text

    def test_the_need_list_runs_the_same_queries_for_10_or_200_needs(self, member_client):
        incubator = IncubatorFactory()
        author = MemberFactory()

        def add(count):
            for _n in range(count):
                need = NeedFactory(author=author, incubator=incubator)
                InitiativeFactory(lead=author, needs=[need])

        assert_constant_queries(member_client, "/besoins/", add)

    def test_closing_a_need_asks_why(self, client):
        need = NeedFactory()
        client.force_login(need.author)
        empty = client.post(f"{need.get_absolute_url()}clore/", {"reason": ""})
        assert empty.status_code == 400
        client.post(f"{need.get_absolute_url()}clore/", {"reason": "Réglé."})
        page = client.get(need.get_absolute_url())
        assert "Clos sans suite : Réglé." in page.text


class TestModeration:
    def test_a_report_reaches_the_queue_and_hiding_takes_the_content_away(
        self, member_client, client, animator
    ):
        need = NeedFactory(title="Pub pour mon produit")
        member_client.post(f"/signaler/besoin/{need.pk}/", {"reason": "C’est de la pub."})
        assert Report.objects.get().reason == "C’est de la pub."
        client.force_login(animator)
        queue = client.get("/moderation/")
        assert "C’est de la pub." in queue.text
        no_note = client.post(f"/moderation/besoin/{need.pk}/", {"note": "", "action": "hide"})
        assert "Ajoutez une note" in no_note.text or no_note.status_code == 400
        client.post(f"/moderation/besoin/{need.pk}/", {"note": "Publicité.", "action": "hide"})
        need.refresh_from_db()
        assert need.hidden
        assert "Pub pour mon produit" not in member_client.get("/besoins/").text
        journal = text_of(fragment(client.get("/moderation/").text, "journal"))
        assert f"{animator.display_name} a masqué le besoin « Pub pour mon produit »" in journal

    def test_the_journal_says_who_did_what_to_which_content_with_a_link(self, client, animator):
        initiative = InitiativeFactory(title="Vente de stylos")
        need = NeedFactory(title="Trop de spam")
        comment = CommentFactory(body="Achetez !", author=MemberFactory(display_name="Jo Vendeur"))
        gone = CommentFactory(body="Effacé ensuite")
        for kind, target in (
            ("initiative", initiative),
            ("need", need),
            ("comment", comment),
            ("comment", gone),
        ):
            content_hide(actor=animator, target_type=kind, target=target, note="Pub.")
        content_restore(
            actor=animator, target_type="initiative", target=initiative, note="Finalement non."
        )
        approved, refused = (
            BudgetRequest.objects.create(
                initiative=initiative, amount=amount, purpose="Café.",
                requested_by=initiative.proposer,
            )
            for amount in (80, 1200)
        )  # fmt: skip
        budget_request_decide(actor=animator, budget_request=approved, approve=True)
        budget_request_decide(
            actor=animator, budget_request=refused, approve=False, message="Trop cher."
        )
        report = report_create(
            actor=MemberFactory(display_name="Lou Vigilante"),
            target_type="need",
            target=need,
            reason="Doublon.",
        )
        content_restore(actor=animator, target_type="need", target=need, note="Ok.")
        report = report_create(
            actor=report.reporter, target_type="need", target=need, reason="Encore."
        )
        report_dismiss(actor=animator, report=report)
        Comment.objects.filter(pk=gone.pk).delete()

        client.force_login(animator)
        page = client.get("/moderation/").text
        journal = text_of(fragment(page, "journal")).replace(" .", ".")
        name = animator.display_name
        for sentence in [
            f"{name} a masqué l’initiative « Vente de stylos ».",
            f"{name} a rétabli l’initiative « Vente de stylos ».",
            f"{name} a masqué le besoin « Trop de spam ».",
            f"{name} a masqué un commentaire de Jo Vendeur sur « {comment.initiative.title} ».",
            f"{name} a accordé le budget de 80 € demandé pour « Vente de stylos ».",
            f"{name} a refusé le budget de 1 200 € demandé pour « Vente de stylos ».",
            f"{name} a classé sans suite le signalement de Lou Vigilante sur « Trop de spam ».",
            f"{name} : Commentaire masqué (contenu supprimé depuis).",
            "Note : « Trop cher. »",
        ]:
            assert sentence in journal, sentence
        assert ".hidden" not in journal
        assert "n°" not in journal
        links = fragment(page, "journal")
        assert f'<a href="{initiative.get_absolute_url()}#budget">' in links
        assert f'<a href="{comment.get_absolute_url()}">' in links
        assert f'<a href="{need.get_absolute_url()}">' in links

    def test_every_kind_of_action_has_a_sentence(self):
        from ruche.initiatives.enums import ModerationActionKind
        from ruche.initiatives.journal import SENTENCES

        assert set(SENTENCES) == set(ModerationActionKind)

    def test_a_hidden_comment_is_gone_for_members_but_marked_for_the_team(
        self, member_client, client, animator
    ):
        comment = CommentFactory(body="Insulte")
        content_hide(actor=animator, target_type="comment", target=comment, note="Non.")
        url = comment.initiative.get_absolute_url()
        assert "Insulte" not in member_client.get(url).text
        client.force_login(animator)
        page = client.get(url)
        assert "Insulte" in page.text
        assert "Masqué par la modération" in page.text


class TestFeedAndHome:
    def test_the_atom_feed_is_public_and_says_little(self, client):
        InitiativeFactory(
            title="Apéro de rentrée", summary="Se retrouver.", description="Secret interne."
        )
        InitiativeFactory(title="Masquée", hidden=True)
        response = client.get("/initiatives/flux.atom")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "Apéro de rentrée" in response.text
        assert "Se retrouver." in response.text
        assert "Secret interne." not in response.text
        assert "Masquée" not in response.text
        assert re.search(r'<link href="http://testserver/initiatives/\d+/"', response.text)

    def test_the_atom_feed_hands_readers_text_not_markup(self, client):
        """Atom summaries are typed html: a summary must reach feed readers as text."""
        import xml.etree.ElementTree as ET

        InitiativeFactory(title="Outils", summary="R&D <script>alert(1)</script>")
        response = client.get("/initiatives/flux.atom")

        summary = ET.fromstring(response.content).find(".//{http://www.w3.org/2005/Atom}summary")
        assert "<script>" not in summary.text
        assert "&lt;script&gt;" in summary.text

    def test_ca_bouge_shows_what_is_new_and_alive(self, member_client):
        import datetime

        from django.utils import timezone

        weeks_ago = timezone.now() - datetime.timedelta(days=60)
        InitiativeFactory(title="Nouvelle et vivante")
        InitiativeFactory(title="Nouvelle mais abandonnée", status=InitiativeStatus.DROPPED)
        InitiativeFactory(title="Vieille idée", created_at=weeks_ago)
        NeedFactory(title="Besoin du jour")
        NeedFactory(title="Besoin d’il y a deux mois", created_at=weeks_ago)
        closed = NeedFactory(title="Besoin déjà clos")
        need_close(actor=closed.author, need=closed, reason="Réglé.")
        home = member_client.get("/").text
        start = home.index('id="ca-bouge"')
        moving = text_of(home[start : home.index("</section>", start)])
        assert "Nouvelle et vivante" in moving
        assert "Besoin du jour" in moving
        for gone in ("abandonnée", "Vieille idée", "deux mois", "déjà clos"):
            assert gone not in moving

    def test_the_home_page_shows_the_member_what_needs_them_and_what_they_do(
        self, member_client, member
    ):
        mine = InitiativeFactory(title="Mon club", lead=member)
        # « On a besoin de vous » shows what fits the member (issue #12's suggestions engine).
        member.competences.add(Competence.objects.create(name="Barista"))
        RoleFactory(
            initiative=InitiativeFactory(title="Apéro"), label="Faire le café", skill="Barista"
        )
        NeedFactory(title="Trop de réunions")
        home = member_client.get("/").text
        assert "Proposer une initiative" in home

        def section(heading_id):
            start = home.index(f'id="{heading_id}"')
            return text_of(home[start : home.index("</section>", start)])

        assert "Faire le café" in section("on-a-besoin-de-vous")
        assert "Trop de réunions" in section("ca-bouge")
        assert "Mon club" in section("mes-engagements")
        assert "— vous la portez, idée" in section("mes-engagements")
        assert "Faire le café" not in section("mes-engagements")
        assert mine.is_led_by(member)
