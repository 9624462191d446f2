"""The point-based DTI framework kind (`kind: dti`), declared in the `certify.kinds` entry points."""

from certify.dti.cases import run_dti_case
from certify.dti.checks import check
from certify.dti.describe import describe
from certify.dti.model import DtiFramework
from certify.kinds import Kind

KIND = Kind(
    name="dti",
    model=DtiFramework,
    check=check,
    describe=describe,
    merge_keys={"indices": "code", "criteria": "code", "pillars": "id", "bands": "id", "groups": "id"},
    run_case=run_dti_case,
)
