"""A bounded schemathesis run against /api/schema/ (issue 13, point 7): every operation, with
schema-conforming and schema-breaking input, as a filer, a reviewer and an anonymous caller;
any 5xx fails. Deterministic (fixed seed) and kept under about a minute on the 2-core machine;
``HUZHOU_FUZZ_EXAMPLES`` raises the examples per operation and mode, ``HUZHOU_FUZZ_RANDOM=1``
draws a new seed (nightly)."""
from __future__ import annotations

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests import factories

EXAMPLES = int(os.environ.get("HUZHOU_FUZZ_EXAMPLES", "5"))
RANDOM = os.environ.get("HUZHOU_FUZZ_RANDOM") == "1"
#: A safety net (about 30 s is typical on the 2-core machine, more when it is busy): past it no new
#: operation starts and the test fails, so a slow-down is noticed rather than hidden.
TIME_BUDGET_SECONDS = float(os.environ.get("HUZHOU_FUZZ_BUDGET", "150"))


@pytest.fixture
def identities(transactional_db):
    from rest_framework.authtoken.models import Token

    from decisions.workflow import DecisionStatus

    officer = factories.enforcement_officer(head=True)
    reviewer = factories.legal_reviewer()
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=officer)
    case = factories.case_in_state("investigating", officer=officer, head_user=officer)
    document = factories.normative_document_in_state("drafting")
    tokens = {name: Token.objects.create(user=user).key for name, user in
              (("filer", officer), ("reviewer", reviewer))}
    real_ids = {"/decisions/": decision.pk, "/enforcement-cases/": case.pk, "/normative-documents/": document.pk}
    return {"tokens": {**tokens, "anonymous": None}, "real_ids": real_ids}


@pytest.mark.django_db(transaction=True)
def test_no_api_operation_answers_a_server_error(identities):
    from huzhou_rule.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    tokens, real_ids = identities["tokens"], identities["real_ids"]
    server_errors: list[str] = []
    counted = {"cases": 0}
    started = time.monotonic()

    def run_operation(operation, mode: GenerationMode) -> None:
        @given(case=operation.as_strategy(generation_mode=mode), who=st.sampled_from(sorted(tokens)),
               use_real_id=st.booleans())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def one_case(case, who, use_real_id):
            if use_real_id and case.path_parameters and "id" in case.path_parameters:
                for fragment, pk in real_ids.items():
                    if fragment in operation.path:
                        case.path_parameters["id"] = pk
            headers = {"Authorization": f"Token {tokens[who]}"} if tokens[who] else {}
            response = case.call(headers=headers)
            counted["cases"] += 1
            if response.status_code >= 500:
                server_errors.append(f"{response.status_code} {who} {case.method} {case.formatted_path} "
                                     f"query={case.query!r} body={str(case.body)[:200]!r}")

        try:
            one_case()
        except Unsatisfiable:  # nothing in this operation can be made schema-breaking
            assert mode is GenerationMode.NEGATIVE

    covered = 0
    for operation in operations:
        if time.monotonic() - started > TIME_BUDGET_SECONDS:
            break
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run_operation(operation, mode)
        covered += 1
    print(f"\nschemathesis: {counted['cases']} cases over {covered}/{len(operations)} operations "
          f"in {time.monotonic() - started:.1f}s, {len(server_errors)} server errors")
    assert server_errors == []
    assert covered == len(operations), "raise HUZHOU_FUZZ_BUDGET: not every operation was reached"
