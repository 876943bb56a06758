"""The code lists of the information form's achievements: kinds of intellectual property
(art. 7 scoring) and the evidence vocabularies of the fast-track claims (art. 8).

The yearly policy names these values (which IP kind is Class I, which institution levels
count), and the form accepts them: both import them from here, so the policy never
depends on the form.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

# Evidence vocabularies of the fast-track claims (art. 8); the policy file names the accepted
# values per year, so they are shared type aliases rather than literals repeated in two places.
InstitutionLevel = Literal["national", "provincial", "ministerial"]
StandardLevel = Literal["international", "national", "industry"]
StandardRole = Literal["lead", "participant"]


class IPKind(StrEnum):
    INVENTION_PATENT = "invention_patent"
    DEFENCE_PATENT = "defence_patent"
    PLANT_VARIETY = "plant_variety"
    NATIONAL_CROP_VARIETY = "national_crop_variety"
    NATIONAL_NEW_DRUG = "national_new_drug"
    TCM_PROTECTED_GRADE1 = "tcm_protected_grade1"
    IC_LAYOUT_DESIGN = "ic_layout_design"
    UTILITY_MODEL = "utility_model"
    DESIGN_PATENT = "design_patent"
    SOFTWARE_COPYRIGHT = "software_copyright"
    TRADEMARK = "trademark"
    OTHER = "other"
