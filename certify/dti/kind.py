"""Registers the point-based DTI framework kind (`kind: dti`)."""

from certify.dti.checks import check
from certify.dti.describe import describe
from certify.dti.model import DtiFramework
from certify.kinds import Kind, register_kind

register_kind(
    Kind(
        name="dti",
        model=DtiFramework,
        check=check,
        describe=describe,
        merge_keys={"indices": "code", "criteria": "code", "pillars": "id", "bands": "id", "groups": "id"},
    )
)
