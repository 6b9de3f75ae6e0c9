"""Where a member acts most, on a 375 px phone: taking a volunteer slot, joining an initiative
from a link shared in a chat. What to do must be on screen without scrolling sideways, and soon
after what it is about."""

import re

import pytest

from ruche.events.services.shifts import shift_signup, shift_swap_offer
from ruche.initiatives.services.conversation import initiative_support, update_post
from tests.events.factories import EventFactory, ShiftFactory, in_days
from tests.factories import MemberFactory
from tests.initiatives.factories import CommentFactory, InitiativeFactory, RoleFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
SLOT_ACTIONS = re.compile(
    "Je prends ce créneau|Je me retire|Proposer un échange|Reprendre la place"
)

# Whether nothing covers or clips the element at its left and right ends: what
# elementFromPoint finds there is the element itself (or something inside it).
_FULLY_SHOWN = """
(element) => {
  const box = element.getBoundingClientRect();
  const y = box.top + box.height / 2;
  return [box.left + 2, box.right - 2].every((x) => {
    const found = document.elementFromPoint(x, y);
    return found !== null && (found === element || element.contains(found));
  });
}
"""


def _check_every_action_is_on_screen(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    actions = page.get_by_role("button", name=SLOT_ACTIONS)
    assert actions.count() == 5
    for index in range(actions.count()):
        action = actions.nth(index)
        action.scroll_into_view_if_needed()
        box = action.bounding_box()
        name = action.inner_text()
        assert box["x"] >= 0, name
        assert box["x"] + box["width"] <= width, f"{name} ends at {box['x'] + box['width']}px"
        assert action.evaluate(_FULLY_SHOWN), f"{name} is cut or covered"


def test_every_slot_action_is_on_screen_on_a_phone_and_on_a_wide_screen(page, sign_in):
    me = MemberFactory(display_name="Sacha Moreau")
    leaving = MemberFactory(display_name="Marie-Dominique de La Tour-Saint-Ygest")
    event = EventFactory(title="Café du mardi", start=in_days(5, hour=9))
    ShiftFactory(event=event, label="Préparer le café", capacity=2)
    mine = ShiftFactory(event=event, label="Ranger la salle", capacity=1)
    swapped = ShiftFactory(event=event, label="Accueillir les nouvelles et nouveaux", capacity=2)
    shift_signup(actor=me, shift=mine)
    shift_signup(actor=leaving, shift=swapped)
    shift_swap_offer(actor=leaving, shift=swapped)
    sign_in(me)

    page.set_viewport_size(PHONE)
    page.goto(event.get_absolute_url())
    # Préparer: take it; Ranger: offer a swap, withdraw; Accueillir: take it, take over.
    _check_every_action_is_on_screen(page, PHONE["width"])

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(event.get_absolute_url())
    _check_every_action_is_on_screen(page, 1280)
    take_over = page.get_by_role("button", name=re.compile("Reprendre la place de Marie"))
    assert "Marie-Dominique de La Tour-Saint-Ygest" in take_over.inner_text()


def test_je_rejoins_comes_within_two_screens_of_an_initiative_opened_on_a_phone(page, sign_in):
    lead = MemberFactory(display_name="Léo Porteur")
    initiative = InitiativeFactory(
        title="Parcours d’accueil des nouveaux arrivants dans la communauté",
        summary="Une checklist et un parrain ou une marraine pour chaque personne qui arrive.",
        description="\n\n".join(["Le détail de ce que nous ferons ensemble."] * 12),
        lead=lead,
    )
    RoleFactory(initiative=initiative, label="Parrains et marraines", count=6)
    RoleFactory(initiative=initiative, label="Rédaction de la checklist", count=1)
    for supporter in MemberFactory.create_batch(3):
        initiative_support(actor=supporter, initiative=initiative)
    for step in range(4):
        update_post(actor=lead, initiative=initiative, body=f"Étape {step} franchie.")
    CommentFactory.create_batch(3, initiative=initiative)
    sign_in(MemberFactory())

    page.set_viewport_size(PHONE)
    page.goto(initiative.get_absolute_url())

    join = page.get_by_role("button", name=re.compile("^Je rejoins")).first
    top = join.evaluate("element => element.getBoundingClientRect().top + window.scrollY")
    title = page.get_by_role("heading", level=1)
    assert title.bounding_box()["y"] < join.bounding_box()["y"]
    assert top + join.bounding_box()["height"] <= 2 * PHONE["height"], (
        f"« Je rejoins » starts {top:.0f}px down a {PHONE['height']}px screen"
    )
    support = page.get_by_role("button", name="Je soutiens")
    contacts = page.get_by_role("heading", name="Qui contacter")
    assert support.bounding_box()["y"] < contacts.bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
