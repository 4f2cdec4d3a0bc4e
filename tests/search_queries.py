"""The search query table: what applicants type → the pages the print says it is about.

Written from the printed titles of the services and the everyday words people use (not from
content/search.yaml). Keys are (language root, query); values are edition-relative page
paths ("other-services/iin"), any one of which must be among the top 3 results. Shared by
tests/test_search_browser.py (≥ 95 % must hit) and scripts/benchmark.py (hits per engine).
"""
from __future__ import annotations

import re

FAMILY = ("employment-visa/invitation-outside", "employment-visa/visa-inside", "investor-visa/invitation-outside",
          "investor-visa/visa-inside", "temporary-residence-permit/employment")
EMPLOYMENT = ("employment-visa/invitation-outside", "employment-visa/visa-inside")
EXTENSIONS = ("employment-visa/extension", "investor-visa/extension", "short-term-business-visa/extension",
              "long-term-business-visa/extension", "long-term-business-visa/business-immigrant-extension")
BUSINESS = ("short-term-business-visa/invitation-outside", "long-term-business-visa/invitation-outside",
            "long-term-business-visa/visa-inside", "short-term-business-visa", "long-term-business-visa")
TRP = ("temporary-residence-permit/employment", "temporary-residence-permit/business-immigrant",
       "temporary-residence-permit")
PRP = ("permanent-residence-permit/permit", "permanent-residence-permit")
CANCEL = ("visa-cancellation/holder-inside", "visa-cancellation/holder-outside", "visa-cancellation")
INVITATIONS = tuple(f"{s}/invitation-outside" for s in ("employment-visa", "investor-visa", "short-term-business-visa",
                                                        "long-term-business-visa"))

# (language root, query) → the pages (edition-relative) any one of which must be in the top 3.
QUERIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "IIN"): ("other-services/iin",),
    ("", "individual identification number"): ("other-services/iin",),
    ("", "price of IIN"): ("other-services/iin",),
    ("", "digital signature"): ("other-services/digital-signature",),
    ("", "EDS"): ("other-services/digital-signature",),
    ("", "signature"): ("other-services/digital-signature",),
    ("", "fingerprinting"): ("other-services/fingerprinting",),
    ("", "fingerprints"): ("other-services/fingerprinting",),
    ("", "tax residence certificate"): ("other-services/tax-residence-certificate",),
    ("", "notification on arrival"): ("other-services/arrival-notification",),
    ("", "change of stay address"): ("other-services/arrival-notification",),
    ("", "employment visa"): EMPLOYMENT,
    ("", "work visa"): EMPLOYMENT + ("employment-visa/extension",),
    ("", "work visa cost"): EMPLOYMENT,
    ("", "employment visa extension"): ("employment-visa/extension",),
    ("", "investor visa"): ("investor-visa/invitation-outside", "investor-visa/visa-inside"),
    ("", "business visa"): BUSINESS,
    ("", "temporary residence permit"): TRP,
    ("", "TRP"): TRP,
    ("", "permanent residence permit"): PRP,
    ("", "PRP"): PRP,
    ("", "wife"): FAMILY,
    ("", "spouse"): FAMILY,
    ("", "child"): FAMILY + PRP,
    ("", "visa cancellation"): CANCEL,
    ("", "exit visa"): CANCEL,
    ("", "Astana"): ("contacts",),
    ("", "business immigrant"): ("temporary-residence-permit/business-immigrant",
                                 "long-term-business-visa/business-immigrant-extension"),
    ("", "invitation letter"): INVITATIONS,
    ("", "extend visa"): EXTENSIONS,
    ("ru/", "ИИН"): ("other-services/iin",),
    ("ru/", "индивидуальный идентификационный номер"): ("other-services/iin",),
    ("ru/", "стоимость ИИН"): ("other-services/iin",),
    ("ru/", "ЭЦП"): ("other-services/digital-signature",),
    ("ru/", "подпись"): ("other-services/digital-signature",),
    ("ru/", "подписи"): ("other-services/digital-signature",),
    ("ru/", "подписью"): ("other-services/digital-signature",),
    ("ru/", "вид на жительство"): PRP,
    ("ru/", "ПМЖ"): PRP,
    ("ru/", "ВНЖ"): PRP,
    ("ru/", "РВП"): TRP,
    ("ru/", "разрешение на временное проживание"): TRP,
    ("ru/", "рабочая виза"): EMPLOYMENT + ("employment-visa/extension",),
    ("ru/", "сколько стоит рабочая виза"): EMPLOYMENT,
    ("ru/", "инвесторская виза"): ("investor-visa/invitation-outside", "investor-visa/visa-inside"),
    ("ru/", "деловая виза"): BUSINESS,
    ("ru/", "дактилоскопия"): ("other-services/fingerprinting",),
    ("ru/", "отпечатки пальцев"): ("other-services/fingerprinting",),
    ("ru/", "уведомление о прибытии"): ("other-services/arrival-notification",),
    ("ru/", "сертификат налогового резидента"): ("other-services/tax-residence-certificate",),
    ("ru/", "аннулирование визы"): CANCEL,
    ("ru/", "жена"): FAMILY,
    ("ru/", "супруга"): FAMILY,
    ("ru/", "дети"): FAMILY + PRP,
    ("ru/", "Астана"): ("contacts",),
    ("ru/", "продление визы"): EXTENSIONS,
}


def service_of(url: str, lang: str) -> str | None:
    """'ru/2026/other-services/iin/' → 'other-services/iin' (a page of an edition), else None."""
    found = re.fullmatch(rf"{re.escape(lang)}\d{{4}}/(.+?)/", url)
    return found.group(1) if found else None
