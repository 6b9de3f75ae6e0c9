from ruche.demo import members, structures


def shrink(patch, *, members_per_scale: int, startups_per_scale: int) -> None:
    """A smaller community per unit of scale, so that tests stay fast."""
    patch.setattr(members, "MEMBERS_PER_SCALE", members_per_scale)
    patch.setattr(structures, "STARTUPS_PER_SCALE", startups_per_scale)
