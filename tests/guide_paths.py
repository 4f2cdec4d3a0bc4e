"""Every path through the guide of each printed edition, and what the print makes of it.

Written by hand from the printed editions (E25 = editions/2025/000_05b89dd2cddb67ad.txt,
R26 = editions/2026/002_e92353ba2269028c.txt), not from the YAML under test. The rule: only a
printed limit leaves a service out; a question is asked only where a printed condition depends
on its answer.

Printed limits (each leaves out the answers it does not name):
- where the person is: employment/investor invitations outside (E25 46, 139; R26 48, 146), the
  short- and long-term business invitations outside (headings E25 343, 398; R26 359, 416), visas
  obtained inside (E25 90, 183, 448; R26 97, 189, 463), the business-immigrant extension inside
  (R26 499; E25 485/487 set no place), cancellation after leaving / while in Kazakhstan (E25 525,
  554; R26 541, 574), the TRP inside only (E25 226; R26 233);
- citizenship: the TRP only for CIS and EAEU citizens (E25 226-229; R26 233-236).
No visa, cancellation or the PRP prints a citizenship limit; the PRP prints no place (E25 320,
R26 331). Family members: asked where a printed document is only for them (the employment and
investor visas' "for dependent visa" documents, the TRP's certificates for family members).

Each row: (slug, services that fit in guidebook order, services left out when none fits with the
printed line that leaves each out).
"""
from __future__ import annotations

FAMILY = ("no", "yes")


def _family(slug: str, services: tuple[str, ...]) -> list[tuple[str, tuple[str, ...], tuple]]:
    return [(f"{slug}/{answer}", services, ()) for answer in FAMILY]


EV_OUT, EV_IN = "employment-visa/invitation-outside", "employment-visa/visa-inside"
IV_OUT, IV_IN = "investor-visa/invitation-outside", "investor-visa/visa-inside"
TRP_EMP, TRP_BI = "temporary-residence-permit/employment", "temporary-residence-permit/business-immigrant"
ST_OUT = "short-term-business-visa/invitation-outside"
LT_OUT, LT_IN = "long-term-business-visa/invitation-outside", "long-term-business-visa/visa-inside"
BI_EXT = "long-term-business-visa/business-immigrant-extension"
PRP = "permanent-residence-permit/permit"
EV_EXT, IV_EXT = "employment-visa/extension", "investor-visa/extension"
ST_EXT, LT_EXT = "short-term-business-visa/extension", "long-term-business-visa/extension"
CANCEL_OUT, CANCEL_IN = "visa-cancellation/holder-outside", "visa-cancellation/holder-inside"


def _paths(business_trip_inside_line: int, bi_extension_outside: bool):
    rows = []
    rows += _family("employment/outside", (EV_OUT,))           # the TRP: inside only
    rows += _family("employment/inside/cis", (EV_IN, TRP_EMP))  # no visa prints a citizenship limit
    rows += _family("employment/inside/eaeu", (EV_IN, TRP_EMP))
    rows += _family("employment/inside/other", (EV_IN,))        # the TRP: CIS and EAEU only
    rows += _family("investment/outside", (IV_OUT,))
    rows += _family("investment/inside", (IV_IN,))
    rows += [
        ("business-trip/outside", (ST_OUT,), ()),
        ("business-trip/inside", (), ((ST_OUT, "where", business_trip_inside_line),)),
        ("installation-audit/outside", (LT_OUT,), ()),
        ("installation-audit/inside", (LT_IN,), ()),
        ("founder-board/outside", (LT_OUT,), ()),
        ("founder-board/inside", (LT_IN,), ()),
        ("business-immigration/outside", (ST_OUT, BI_EXT) if bi_extension_outside else (ST_OUT,), ()),
        ("business-immigration/inside/cis", (TRP_BI, BI_EXT), ()),
        ("business-immigration/inside/eaeu", (TRP_BI, BI_EXT), ()),
        ("business-immigration/inside/other", (BI_EXT,), ()),
        ("permanent-residence", (PRP,), ()),
        # family members: the employment and investor visas are "for … their family members" (E25 46, 90,
        # 139, 183; R26 48, 97, 146, 189) and the TRP "including dependent" (E25 262; R26 273)
        ("family-joining/outside", (EV_OUT, IV_OUT), ()),
        ("family-joining/inside/cis", (EV_IN, IV_IN, TRP_EMP), ()),
        ("family-joining/inside/eaeu", (EV_IN, IV_IN, TRP_EMP), ()),
        ("family-joining/inside/other", (EV_IN, IV_IN), ()),
        # the four visa extensions print no place or citizenship (E25 131, 218, 390, 517; R26 136, 225, 406,
        # 533); the business immigrant's C5 extension (E25 485-487; R26 499-503) is in Kazakhstan in 2026
    ] + ([("extension", (EV_EXT, IV_EXT, ST_EXT, BI_EXT, LT_EXT), ())] if bi_extension_outside else [
        ("extension/outside", (EV_EXT, IV_EXT, ST_EXT, LT_EXT), ()),
        ("extension/inside", (EV_EXT, IV_EXT, ST_EXT, BI_EXT, LT_EXT), ())]) + [
        # the other services print no limit (E25 599-703; R26 617-720)
        ("arrival-notification", ("other-services/arrival-notification",), ()),
        ("iin", ("other-services/iin",), ()),
        ("tax-residence", ("other-services/tax-residence-certificate",), ()),
        ("digital-signature", ("other-services/digital-signature",), ()),
        ("fingerprinting", ("other-services/fingerprinting",), ()),
        ("leaving/outside", (CANCEL_OUT,), ()),
        ("leaving/inside", (CANCEL_IN,), ()),
    ]
    return rows


PATHS = {
    # 2025: the business-immigrant extension prints no place (E25 485, 487), so it fits outside too.
    2025: _paths(business_trip_inside_line=343, bi_extension_outside=True),
    # 2026: "на территории Казахстана" in its heading (R26 499).
    2026: _paths(business_trip_inside_line=359, bi_extension_outside=False),
}

# Where no service of a purpose starts from the answers, the later steps of that purpose's journeys
# that print no limit (E25 388-390 / R26 404-406: the extension of a single-entry business visa
# already held, with no place named).
ALSO = {
    2025: {"business-trip/inside": ("short-term-business-visa/extension",)},
    2026: {"business-trip/inside": ("short-term-business-visa/extension",)},
}
