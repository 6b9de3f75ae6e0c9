"""Events: publishing and changing them, registrations with a waiting list, volunteer slots,
invited speakers, personal calendar feeds and reminders. One module per aggregate; callers
import from the module itself (`from ruche.events.services.shifts import shift_signup`)."""
