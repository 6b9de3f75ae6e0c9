import random

import pytest
from django.utils import timezone

from ruche.core.demo import DemoContext
from ruche.groups import demo
from ruche.groups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def test_a_community_too_small_gets_no_groups_and_says_so():
    said = []
    context = DemoContext(
        rng=random.Random(1), scale=1, now=timezone.now(), member_ids=[1, 2, 3], log=said.append
    )
    demo.seed(context)
    assert said == ["groups: fewer than 10 members, nothing seeded"]
    assert not WorkingGroup.objects.exists()
    assert context.member_pool("x", minimum=3) == [1, 2, 3]
