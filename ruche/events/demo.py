"""Demo data: two years of community events (see seed())."""


def seed(context) -> None:
    context.log("events: nothing yet")
