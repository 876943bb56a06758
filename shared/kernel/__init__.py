"""The domain kernel: the rules of the evaluation as data and pure code (calendar,
code lists, the yearly policy, the evaluation, event payloads, domain errors, money,
text). No framework and nothing of the platform (`shared.platform`): the import
contracts of pyproject.toml (`make imports`) keep it so."""
