"""What members do with initiatives and needs. Every function checks who may act, writes in one
transaction, appends the act to the Contribution ledger and tells people after commit. Pages and
the API call these and nothing else, so both enforce the same rules with the same messages.
One module per aggregate; callers import from the module itself
(`from ruche.initiatives.services.needs import need_raise`)."""
