"""An editor publishes 2027, made from 2026 with structural changes, in a copy of the project, as
an editor walks it, each step through the `guidebook` command: `new-edition` at a new MCI; edits
through the round-trip YAML (fees raised and lowered, a deadline changed, a document added and one
removed, the passport rule tightened, a service removed and one added, two misprints the new print
corrects); the draft validates, check-source skips it, its pages rendered with drafts included (the
Markdown `build --drafts` builds) show it; the new printed text arrives beside it (the 2026 seed
with the same edits), `reanchor`; `register draft` drafts the register (golden) with the effects
the hand-written one gives, and the drafted register, once read, publishes; a published edition
without a register is refused; the register written by hand; status published. Then every
edition-generic check runs on the copy: validate, check-source, lint, diff (each structural change
reported), `build --strict`, the guide's invariants, the site carrying 2027, its changes page and
export, and the 2025 and 2026 pages byte-identical to the real site's.

The walk is made once per run (xdist workers share it); the tests read what each step said and
the copy, and never change it. The expected outcomes are the table of edits below (what this test
did), never read from the YAML.
"""
from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, assert_golden, build, copy_project, once_per_run, run_cli
from generator.edition.validate import load_library
from generator.editorial import roundtrip
from generator.site.render import render_site
from guide_invariants import check_tree, misprints_not_shown

BASE, YEAR, BASE_MCI, MCI = 2026, 2027, 4325, 4500
SEED = f"{YEAR}-guidebook.txt"
GOLDEN = ROOT / "tests" / "golden" / "register" / f"{BASE}-{YEAR}.yaml"  # the register `register draft` wrote

# -- the edits: (what, where) and the printed line before → after ------------------------------
# The state fees R26 prints in MCI (line: service, multiple); new-edition recomputes them at the new
# MCI, and the new print shows them so.
STATE = {82: ("employment-visa/invitation-outside", "0.5"), 130: ("employment-visa/visa-inside", "30"),
         354: ("permanent-residence-permit/permit", "4"), 389: ("short-term-business-visa/invitation-outside", "0.5"),
         446: ("long-term-business-visa/invitation-outside", "0.5"), 493: ("long-term-business-visa/visa-inside", "30"),
         525: ("long-term-business-visa/business-immigrant-extension", "30"),
         597: ("visa-cancellation/holder-inside", "0.5")}
STATE_FEES = [("(2 162.5 KZT)", "(2 250 KZT)"), ("(129 750 KZT)", "(135 000 KZT)"), ("(17 300 KZT)", "(18 000 KZT)")]
# Service fees: (section file, service, field, 2026, 2027, the printed row 2026, 2027).
FEES = [
    ("other-services", "arrival-notification", "service", 20_000, 25_000,
     "Уведомление о прибытии или изменении адреса проживания\t20 000 KZT\t30 минут",
     "Уведомление о прибытии или изменении адреса проживания\t25 000 KZT\t30 минут"),
    ("other-services", "tax-residence-certificate", "service", 100_000, 110_000,
     "Сертификат налогового резидента\t100 000 KZT\t300 000 KZT",
     "Сертификат налогового резидента\t110 000 KZT\t300 000 KZT"),
    ("other-services", "fingerprinting", "service", 20_000, 15_000,
     "Дактилоскопическая регистрация\t20 000 KZT\t20–30 минут",
     "Дактилоскопическая регистрация\t15 000 KZT\t20–30 минут"),
]
# A document added (tax residence: the consent form) and one removed (IIN: the consent form).
ADDED_DOC = ("other-services", "tax-residence-certificate", "consent-form")
REMOVED_DOC = ("other-services", "iin", "consent-form")
# The passport rule tightened in one service: at least 3 → 6 months after the visa expires.
PASSPORT = ("employment-visa", "visa-inside", 3, 6)
PASSPORT_RU = ("Паспорт (Паспорт должен быть действителен не менее чем в течение {n} месяцев после истечения "
               "срока действия визы и содержать как минимум 2 чистые страницы)")
PASSPORT_EN = "Passport (passport should be valid for at least {n} months after the visa expires and have at least 2 blank pages)"
# A service removed (the B2/B3 extension, printed R26 531-538) and one added (other services, 6).
REMOVED_SERVICE = ("long-term-business-visa", "extension")
ADDED_SERVICE = ("other-services", "residence-registration")
NEW_SERVICE_PRINT = """6. Регистрация по месту жительства

Данная услуга позволяет подать заявку на регистрацию иностранного гражданина по месту жительства.

Необходимые документы:

- Оригинал паспорта;
- Согласие на обработку персональных данных.

Тарифы и сроки

Тип услуги	Сервисный сбор	Сроки
Регистрация по месту жительства	30 000 KZT	3 рабочих дня

"""
# The timeframe of the tax residence certificate: 3-5 → 5-7 business days (R26 662, after the fees).
DEADLINE = ("other-services", "tax-residence-certificate", (3, 5), (5, 7))
DEADLINE_PRINT = ("300 000 KZT\t3-5 рабочих дней", "300 000 KZT\t5-7 рабочих дней")
# The misprint «Епбек.kz» (R26 120, kept with sic in 2026) printed correctly in 2027.
MISPRINT = ("employment-visa", "visa-inside", "Справка с места работы с портала Епбек.kz",
            "Справка с места работы с портала Enbek.kz")
# A misprint of three words (R26 656, kept with sic in 2026), all printed correctly in 2027.
MISPRINTS = ("other-services", "tax-residence-certificate", "effective-management-document",
             "Нотариально засвидетельствованная копия документа, подтверждающая наличие в Казахстане места "
             "эффективного управления юридического лица (протокола общего собрания совета директоров или "
             "аналогичного органа с указанием места его проведения или иных документов, подтверждающих место "
             "основного управления и (или) контроля, а также принятия стратегических коммерческих решений, "
             "необходимых для проведения предпринимательской деятельности юридического лица) – иностранными "
             "юридическими лицами, являющиеся резидентами на основании того, что его место эффективного "
             "управления находится в Казахстане",
             (("документа, подтверждающая", "документа, подтверждающего"),
              ("лицами, являющиеся", "лицами, являющимися"), ("что его место", "что их место")))


def _corrected(printed: str) -> str:
    for misprint, correct in MISPRINTS[4]:
        assert printed.count(misprint) == 1, misprint
        printed = printed.replace(misprint, correct)
    return printed


CONSENT = "Согласие на обработку персональных данных"


def _kzt(mci: str, rate: int) -> str:
    return format((Decimal(mci) * rate).normalize(), "f")


# What the diff must report for these edits, and nothing else: (kind, action, service, 2026, 2027),
# values in the official language (Russian), amounts in KZT.
EXPECTED = sorted([
    ("mci", "changed", None, str(BASE_MCI), str(MCI)),
    ("edition", "changed", None, f"{BASE}-01-01", f"{YEAR}-01-01"),
    ("text", "changed", None, f"РУКОВОДСТВО – {BASE}", f"РУКОВОДСТВО – {YEAR}"),
    ("text", "changed", None, f"Вступает в силу с 01.01.{BASE}", f"Вступает в силу с 01.01.{YEAR}"),
    *(("indexation", "changed", service, _kzt(mci, BASE_MCI), _kzt(mci, MCI)) for service, mci in STATE.values()),
    *(("fee", "changed", f"{section}/{service}", str(old), str(new)) for section, service, _, old, new, _, _ in FEES),
    ("document", "added", "/".join(ADDED_DOC[:2]), None, CONSENT),
    ("document", "removed", "/".join(REMOVED_DOC[:2]), CONSENT, None),
    ("document", "changed", "/".join(PASSPORT[:2]), PASSPORT_RU.format(n=PASSPORT[2]), PASSPORT_RU.format(n=PASSPORT[3])),
    ("misprint", "changed", "/".join(MISPRINT[:2]), MISPRINT[2], MISPRINT[3]),
    ("misprint", "changed", "/".join(MISPRINTS[:2]), MISPRINTS[3], _corrected(MISPRINTS[3])),
    ("timeframe", "changed", "/".join(DEADLINE[:2]), *("{}-{} business-days".format(*days) for days in DEADLINE[2:])),
    ("service", "removed", "/".join(REMOVED_SERVICE), "/".join(REMOVED_SERVICE), None),
    ("service", "added", "/".join(ADDED_SERVICE), None, "/".join(ADDED_SERVICE)),
    ("text", "added", None, None, "Регистрация по месту жительства"),  # the section's list of its services
], key=repr)


# The register, written by hand from the edits above (every change the diff finds, one entry).
REGISTER = f"""\
# yaml-language-server: $schema=../../schemas/changes.schema.json
since: {BASE}
entries:
  - id: mci-indexation
    effect: fees-indexed
    summary:
      en: "1 MCI is now 4 500 KZT (was 4 325 KZT): 0.5 MCI is 2 250 KZT, 30 MCI 135 000 KZT, 4 MCI 18 000 KZT."
      ru: "1 МРП теперь 4 500 KZT (было 4 325 KZT): 0,5 МРП — 2 250 KZT, 30 МРП — 135 000 KZT, 4 МРП — 18 000 KZT."
    covers:
      - kind: mci
      - kind: indexation
  - id: arrival-notification-fee-raised
    effect: fee-raised
    summary:
      en: "Notification on arrival: the service fee is raised from 20 000 to 25 000 KZT."
      ru: "Уведомление о прибытии: сервисный сбор повышен с 20 000 до 25 000 KZT."
    covers:
      - {{service: other-services/arrival-notification, kind: fee}}
  - id: tax-residence-fee-raised
    effect: fee-raised
    summary:
      en: "Tax residence certificate: the service fee is raised from 100 000 to 110 000 KZT."
      ru: "Сертификат налогового резидента: сервисный сбор повышен со 100 000 до 110 000 KZT."
    covers:
      - {{service: other-services/tax-residence-certificate, kind: fee}}
  - id: fingerprinting-fee-lowered
    effect: fee-lowered
    summary:
      en: "Fingerprinting: the service fee is lowered from 20 000 to 15 000 KZT."
      ru: "Дактилоскопическая регистрация: сервисный сбор снижен с 20 000 до 15 000 KZT."
    covers:
      - {{service: other-services/fingerprinting, kind: fee}}
  - id: tax-residence-consent-form
    effect: requirement-added
    summary:
      en: "Tax residence certificate: a consent form is now required."
      ru: "Сертификат налогового резидента: теперь требуется согласие на обработку персональных данных."
    covers:
      - {{service: other-services/tax-residence-certificate, document: consent-form}}
  - id: iin-consent-form
    effect: requirement-removed
    summary:
      en: "IIN: the consent form is no longer listed."
      ru: "ИИН: согласие на обработку персональных данных больше не указано."
    covers:
      - {{service: other-services/iin, document: consent-form}}
  - id: passport-six-months
    effect: requirement-tightened
    summary:
      en: "Employment visa within Kazakhstan: the passport must be valid for at least 6 months after the visa expires (was 3)."
      ru: "Рабочая виза на территории Казахстана: паспорт должен быть действителен не менее 6 месяцев после окончания визы (было 3)."
    covers:
      - {{service: employment-visa/visa-inside, document: passport}}
  - id: ltbv-extension-removed
    effect: option-removed
    summary:
      en: "The extension of a multiple-entry business visa (B2/B3) is no longer offered."
      ru: "Продление многократной деловой визы (B2/B3) больше не предлагается."
    covers:
      - {{service: long-term-business-visa/extension}}
  - id: residence-registration-added
    effect: option-added
    summary:
      en: "New service: registration at the place of residence, 30 000 KZT, 3 working days."
      ru: "Новая услуга: регистрация по месту жительства, 30 000 KZT, 3 рабочих дня."
    covers:
      - {{service: other-services/residence-registration}}
  - id: other-services-list
    effect: wording-only
    summary:
      en: "Other immigration and tax services: the list of the services the request covers names the new one."
      ru: "Другие миграционные и налоговые услуги: в списке услуг запроса названа новая услуга."
    covers:
      - group: text-other-services-intro-6
  - id: enbek-misprint-corrected
    effect: misprint-corrected
    summary:
      en: "Employment visa within Kazakhstan: the portal's name is printed correctly, Enbek.kz."
      ru: "Рабочая виза на территории Казахстана: название портала напечатано верно — Enbek.kz."
    covers:
      - {{service: employment-visa/visa-inside, kind: misprint}}
  - id: effective-management-misprint-corrected
    effect: misprint-corrected
    summary:
      en: "Tax residence certificate: the document on the place of effective management is printed without its misprints."
      ru: "Сертификат налогового резидента: документ о месте эффективного управления напечатан без опечаток."
    covers:
      - {{service: other-services/tax-residence-certificate, kind: misprint}}
  - id: tax-residence-timeframe
    effect: deadline-changed
    summary:
      en: "Tax residence certificate: it takes 5-7 business days (was 3-5)."
      ru: "Сертификат налогового резидента: срок — 5-7 рабочих дней (было 3-5)."
    covers:
      - {{service: other-services/tax-residence-certificate, kind: timeframe}}
  - id: edition-{YEAR}
    effect: edition-details
    summary:
      en: "The {YEAR} guidebook is in force from 1 January {YEAR}."
      ru: "Руководство {YEAR} года действует с 1 января {YEAR} года."
    covers:
      - kind: edition
      - group: text-cover-0
      - group: text-cover-3
"""


def _yaml_edits(folder: Path, edits: dict[str, list[Callable]]) -> None:
    """Each file of `folder` named in `edits` loaded once through the round-trip YAML, edited by
    its changes in order, written back."""
    for name, changes in edits.items():
        path = folder / name
        document = roundtrip.load(path.read_text(encoding="utf-8"))
        for change in changes:
            change(document)
        path.write_text(roundtrip.dump(document), encoding="utf-8")


def _service(document, service_id: str):
    return next(s for s in document["services"] if s["id"] == service_id)


def _replace_once(text: str, old: str, new: str, after: str = "") -> str:
    start = text.index(after) if after else 0
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old):]


def _edit_2027(root: Path) -> str:
    """The editor's edits of the draft 2027 (the table above), through the round-trip YAML;
    returns the new print, the 2026 seed with the same edits (written when the print arrives)."""
    folder = root / "editions" / str(YEAR)
    base = root / "editions" / str(BASE)
    seed = (base / load_library(root, [BASE]).editions[BASE].source_file).read_text(encoding="utf-8")
    edits: dict[str, list[Callable]] = defaultdict(list)

    # the cover: new-edition put the year in the title; the date line is the editor's to set (later)
    seed = seed.replace(f"РУКОВОДСТВО – {BASE}", f"РУКОВОДСТВО – {YEAR}").replace(f"01.01.{BASE}", f"01.01.{YEAR}")
    for was, now in STATE_FEES:
        seed = seed.replace(was, now)

    # fees
    for section, service, field, old, new, printed_old, printed_new in FEES:
        def fee(document, service=service, field=field, old=old, new=new):
            option = _service(document, service)["steps"][0]["fees"]["options"][0]
            assert option[field] == old
            option[field] = new
        edits[f"{section}.yaml"].append(fee)
        assert seed.count(printed_old) == 1, printed_old
        seed = seed.replace(printed_old, printed_new)

    # documents: one added, one removed
    def documents(document):
        docs = _service(document, ADDED_DOC[1])["steps"][0]["documents"]
        docs.append(roundtrip.load('{doc: consent-form, text: {en: "Consent form", ru: "Согласие на обработку персональных данных"}}'))
        docs = _service(document, REMOVED_DOC[1])["steps"][0]["documents"]
        docs[:] = [d for d in docs if d["doc"] != REMOVED_DOC[2]]
    edits["other-services.yaml"].append(documents)
    seed = _replace_once(seed, "являющиеся резидентами.\n",
                         "являющиеся резидентами;\n- Согласие на обработку персональных данных.\n",
                         after="3. Сертификат налогового резидента")
    seed = _replace_once(seed, "осуществлен въезд в Казахстан;\n- Согласие на обработку персональных данных.\n",
                         "осуществлен въезд в Казахстан.\n", after="2. Индивидуальный идентификационный номер")

    # the passport rule tightened in one service
    section, service, old_months, new_months = PASSPORT

    def passport(document, service=service, old_months=old_months, new_months=new_months):
        doc = next(d for d in _service(document, service)["steps"][0]["documents"] if d["doc"] == "passport")
        assert doc["validity"]["at_least"] == old_months
        doc["validity"]["at_least"] = new_months
        doc["text"]["en"], doc["text"]["ru"] = PASSPORT_EN.format(n=new_months), PASSPORT_RU.format(n=new_months)
    edits[f"{section}.yaml"].append(passport)
    seed = _replace_once(seed, PASSPORT_RU.format(n=old_months), PASSPORT_RU.format(n=new_months),
                         after="2. Получение рабочей визы на территории Казахстана")

    # the misprint the new print corrects: the official text follows it, sic goes
    def misprint(document):
        doc = next(d for d in _service(document, MISPRINT[1])["steps"][0]["documents"] if d["text"]["ru"] == MISPRINT[2])
        doc["text"]["ru"] = MISPRINT[3]
        del doc["text"]["sic"]
    edits[f"{MISPRINT[0]}.yaml"].append(misprint)
    assert seed.count(MISPRINT[2]) == 1
    seed = seed.replace(MISPRINT[2], MISPRINT[3])

    def misprints(document):
        doc = next(d for d in _service(document, MISPRINTS[1])["steps"][0]["documents"] if d["doc"] == MISPRINTS[2])
        assert doc["text"]["ru"] == MISPRINTS[3] and doc["text"]["sic"]["ru"] == _corrected(MISPRINTS[3])
        doc["text"]["ru"] = _corrected(MISPRINTS[3])
        del doc["text"]["sic"]
    edits[f"{MISPRINTS[0]}.yaml"].append(misprints)
    assert seed.count(MISPRINTS[3]) == 1
    seed = seed.replace(MISPRINTS[3], _corrected(MISPRINTS[3]))

    # a deadline changed
    def deadline(document):
        timeframe = _service(document, DEADLINE[1])["steps"][0]["fees"]["options"][0]["timeframe"]
        assert (timeframe["min"], timeframe["max"]) == DEADLINE[2]
        timeframe["min"], timeframe["max"] = DEADLINE[3]
    edits[f"{DEADLINE[0]}.yaml"].append(deadline)
    assert seed.count(DEADLINE_PRINT[0]) == 1
    seed = seed.replace(*DEADLINE_PRINT)

    # a service removed: its entry and the journey links to it
    section, removed = REMOVED_SERVICE

    def remove(document, section=section, removed=removed):  # (the edits are made together, below)
        document["services"][:] = [s for s in document["services"] if s["id"] != removed]
        for s in document["services"]:
            links = s.get("eligibility", {}).get("after")
            if links is not None:
                links[:] = [link for link in links if link["service"] != f"{section}/{removed}"]
    edits[f"{section}.yaml"].append(remove)
    start = seed.index("4. Продление многократной деловой визы (В2/В3)")
    seed = seed[:start] + seed[seed.index("АНУЛИРОВАНИЕ ВИЗЫ"):]

    # a service added, printed after the last one, and named in the section's list
    section, added = ADDED_SERVICE
    seed = _replace_once(seed, "5. Дактилоскопическая регистрация (снятие отпечатков пальцев).\n\nПроцесс",
                         "5. Дактилоскопическая регистрация (снятие отпечатков пальцев);\n"
                         "6. Регистрация по месту жительства.\n\nПроцесс")
    seed = _replace_once(seed, "ГРАФИК РАБОТЫ", NEW_SERVICE_PRINT + "ГРАФИК РАБОТЫ")
    heading = seed.splitlines().index(NEW_SERVICE_PRINT.splitlines()[0]) + 1  # the editor writes its line

    def add(document):
        document["intro"][1]["bullets"].append(roundtrip.load(
            '{en: "Registration at the place of residence", ru: "Регистрация по месту жительства"}'))
        document["services"].append(roundtrip.load(f"""\
id: {added}
provenance: {{line: {heading}, item: 6}}
title: {{en: "Registration at the place of residence", ru: "Регистрация по месту жительства"}}
description:
  - text:
      en: "This service allows you to apply for the registration of a foreign national at the place of residence."
      ru: "Данная услуга позволяет подать заявку на регистрацию иностранного гражданина по месту жительства."
steps:
  - id: main
    title: null
    place: expat-centre
    documents:
      - {{doc: passport, text: {{en: "Original passport", ru: "Оригинал паспорта"}}, forms: [original]}}
      - {{doc: consent-form, text: {{en: "Consent form", ru: "Согласие на обработку персональных данных"}}}}
    fees:
      options:
        - label: {{en: "Registration at the place of residence", ru: "Регистрация по месту жительства"}}
          service: 30000
          timeframe: {{value: 3, unit: working-days}}
"""))
    edits[f"{section}.yaml"].append(add)
    _yaml_edits(folder, edits)
    return seed


def _print_arrives(root: Path, seed: str) -> None:
    """The new print beside the draft: its file named, and the cover's date and effective_from
    set from it (new-edition left both to the editor)."""
    folder = root / "editions" / str(YEAR)
    (folder / SEED).write_text(seed, encoding="utf-8")

    def meta(document):
        document["source_file"], document["effective_from"] = SEED, f"{YEAR}-01-01"
        date = document["cover"][3]
        date["en"], date["ru"] = f"Effective from 01.01.{YEAR}", f"Вступает в силу с 01.01.{YEAR}"
    _yaml_edits(folder, {"edition.yaml": [meta]})


def _set_status(root: Path, was: str, now: str) -> None:
    meta = root / "editions" / str(YEAR) / "edition.yaml"
    text = meta.read_text(encoding="utf-8")
    assert text.count(f"status: {was}\n") == 1
    meta.write_text(text.replace(f"status: {was}\n", f"status: {now}\n"), encoding="utf-8")


# The pages of the draft that `build --drafts` would show, rendered when it is a draft.
DRAFT_PAGES = (f"en/{YEAR}/index.md", f"en/{YEAR}/other-services/arrival-notification/index.md",
               f"ru/{YEAR}/other-services/arrival-notification/index.md")


def _walk(folder: Path) -> None:
    """The editor's path to a published 2027, in a copy of the project in `folder`/guidebook, each
    step through the `guidebook` command (in process, inside the session's parse cache:
    tests/conftest.py); what each step said is kept in
    `folder`/journey.json, the site of the published copy built in `folder`/site."""
    root = copy_project(folder / "guidebook")
    # the project as it stood while 2026 was its newest edition: once an editor adds the real 2027
    # (or later), the walk still starts from 2026 and this suite stays green
    for later in (p for p in (root / "editions").iterdir() if p.name.isdigit() and int(p.name) > BASE):
        shutil.rmtree(later)
    said: dict[str, tuple[int, str, str]] = {}

    def step(name: str, *argv: str) -> tuple[int, str, str]:
        said[name] = run_cli("-C", str(root), *argv)
        return said[name]

    # 1. a draft copy of 2026 at the new MCI, edited as the editor's table says
    assert step("new-edition", "new-edition", str(YEAR), "--from", str(BASE), "--mci", str(MCI))[0] == 0
    seed = _edit_2027(root)
    # 2. the draft validates alone and with every edition; check-source skips it (no print yet);
    #    its pages, rendered with drafts included as `build --drafts` has them rendered, show it
    #    (in process: a second MkDocs build of the real editions would cost 14 s of CPU; that
    #    --drafts builds drafts, and only it, is proven on the fixture: test_site_build)
    step("validate 2027 (draft)", "validate", str(YEAR))
    step("validate (draft)", "validate")
    step("check-source (draft)", "check-source")
    library = load_library(root)
    output = render_site(library, library.ui, root / "site_templates", root / "content" / "pages",
                         include_drafts=True, root=root)
    draft_pages = {page: output.files[page] for page in DRAFT_PAGES}
    # 3. the print arrives: reanchor to it, then `register draft` (twice: the second drafts nothing)
    _print_arrives(root, seed)
    assert step("reanchor", "reanchor", str(YEAR))[0] == 0
    step("register draft", "register", "draft", str(YEAR))
    drafted = (root / "editions" / str(YEAR) / "changes.yaml").read_text(encoding="utf-8")
    step("diff json (drafted)", "diff", str(BASE), str(YEAR), "--format", "json")
    step("validate 2027 (drafted)", "validate", str(YEAR))
    step("register draft again", "register", "draft", str(YEAR))
    # 4. published with the drafted register once read (`draft: true` out); without a register
    #    a published edition is refused; the register written by hand (the table's) kept
    _set_status(root, "draft", "published")
    register = root / "editions" / str(YEAR) / "changes.yaml"
    register.write_text(drafted.replace("    draft: true\n", ""), encoding="utf-8")
    step("validate 2027 (published, drafted register read)", "validate", str(YEAR))
    register.unlink()
    step("validate 2027 (published, no register)", "validate", str(YEAR))
    register.write_text(REGISTER, encoding="utf-8")
    # 5. the edition-generic checks on the published copy, and its site
    step("validate", "validate")
    step("check-source 2027", "check-source", str(YEAR))
    step("lint 2027", "lint", str(YEAR))
    step("diff json", "diff", str(BASE), str(YEAR), "--format", "json")
    result = build(root, folder / "site", "--strict")
    said["build --strict"] = (result.returncode, result.stdout, result.stderr)
    (folder / "journey.json").write_text(json.dumps({"said": said, "draft_pages": draft_pages, "drafted": drafted},
                                                    ensure_ascii=False), encoding="utf-8")


@dataclass(frozen=True)
class Journey:
    root: Path                                  # the copy, 2027 published in it (never changed by a test)
    site: Path                                  # its site, `build --strict`
    said: dict[str, tuple[int, str, str]]       # step → (status, stdout, stderr) of its command
    draft_pages: dict[str, str]                 # DRAFT_PAGES → their Markdown while 2027 was a draft
    drafted: str                                # the register `register draft` wrote


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> Journey:
    """The walk, once per run (xdist workers share it: conftest.once_per_run)."""
    folder = once_per_run(tmp_path_factory, "edition-2027", _walk)
    record = json.loads((folder / "journey.json").read_text(encoding="utf-8"))
    return Journey(folder / "guidebook", folder / "site", {k: tuple(v) for k, v in record["said"].items()},
                   record["draft_pages"], record["drafted"])


def test_new_edition_starts_a_draft_and_leaves_the_date_to_the_editor(journey):
    status, out, err = journey.said["new-edition"]
    assert status == 0, err
    assert out.startswith(f"created editions/{YEAR} (draft) from {BASE}"), out
    # no date invented: the cover's date line is the editor's to set from the new print
    assert f"To set from the {YEAR} print: the date line(s) edition.yaml: cover[3]" in out, out


def test_the_draft_validates_and_check_source_skips_it(journey):
    """Alone and with every edition (what `make site` runs); its changes not yet in a register."""
    status, out, err = journey.said["validate 2027 (draft)"]
    assert (status, err) == (0, ""), err
    assert out.startswith(f"{YEAR}: ok (draft, ") and "not yet covered by its register" in out, out
    status, out, err = journey.said["validate (draft)"]
    assert (status, err) == (0, ""), err
    assert out.splitlines()[-1].startswith(f"{YEAR}: ok (draft, "), out
    status, out, err = journey.said["check-source (draft)"]
    assert status == 0, out + err
    assert f"check-source {YEAR}: skipped, a draft with no printed text yet" in out, out


def test_the_preview_shows_the_draft_with_its_edits(journey):
    """The draft's pages as a build with drafts (`build --drafts`, `serve --drafts`) makes them:
    marked as a draft, with the edited fee in both languages. (That --drafts builds drafts, and
    only it: test_site_build.test_drafts_are_built_only_when_asked, test_preview.)"""
    home, *service = (journey.draft_pages[page] for page in DRAFT_PAGES)
    assert f"Draft edition {YEAR}" in home
    new = FEES[0][4]
    for page in service:
        assert _amount(new) in page, page


def _amount(kzt: int) -> str:
    return f"{kzt:,}".replace(",", "\u00a0")  # as a page prints it (a no-break space between thousands)


def test_a_published_edition_needs_its_register(journey):
    status, out, err = journey.said["validate 2027 (published, no register)"]
    assert status == 1 and err.splitlines() == [
        f"editions/{YEAR}/edition.yaml:1:1: expected the register of changes since {BASE} "
        f"(editions/{YEAR}/changes.yaml) for a published edition, found none", "1 problem in 1 file"], err


def test_every_edition_validates_with_2027_published(journey):
    status, out, err = journey.said["validate"]
    assert (status, err) == (0, ""), err
    assert out.splitlines()[-1].startswith(f"{YEAR}: ok (published, ")


def test_check_source_proves_2027_against_its_print(journey):
    status, out, err = journey.said["check-source 2027"]
    assert status == 0, out + err
    assert "items covered (100 %)" in out


def test_lint_finds_nothing_open_in_2027(journey):
    """The passport rule tightened in one service is a fact changed, not a wording slip."""
    status, out, err = journey.said["lint 2027"]
    assert (status, err) == (0, ""), out
    assert re.fullmatch(rf"lint {YEAR}: \d+ finding\(s\): 0 open, \d+ fixed by sic, \d+ waived\n", out), out


def _official(value):
    return value.get("ru") if isinstance(value, dict) else None if value is None else str(value)


def test_the_diff_reports_every_edit_and_nothing_else(journey):
    status, out, err = journey.said["diff json"]
    assert status == 0, err
    records = [m for group in json.loads(out)["changes"] for m in group["members"]]
    found = sorted(((m["kind"], m["action"], m["service"], _official(m["old"]), _official(m["new"])) for m in records),
                   key=repr)
    assert found == EXPECTED
    passport = next(m for m in records if m["kind"] == "document" and m["action"] == "changed")
    assert passport["facts"] == [{"name": "validity_period", "old": ["at-least", str(PASSPORT[2]), "months"],
                                  "new": ["at-least", str(PASSPORT[3]), "months"], "effect": "tightened"}]
    assert all(m["entry"] for m in records)  # each one explained by the register
    # what an applicant meets is material; a corrected misprint, the cover and a list's wording are not
    assert {m["kind"] for m in records if not m["material"]} == {"edition", "text", "misprint"}


@pytest.fixture(scope="module")
def site(journey) -> Path:
    """The copy's site: its one build, `build --strict`."""
    status, out, err = journey.said["build --strict"]
    assert status == 0, out + err
    assert "WARNING" not in err and "ERROR" not in err, err
    return journey.site


def _page(site: Path):
    def page(lang: str, path: str) -> str:
        prefix = "" if lang == "en" else f"{lang}/"
        return (site / f"{prefix}{path.removesuffix('index.md')}index.html").read_text(encoding="utf-8")
    return page


def test_the_guide_of_2027_holds_every_invariant(journey, site):
    edition = load_library(journey.root, [BASE, YEAR]).editions[YEAR]
    check_tree(edition)
    assert misprints_not_shown(edition, _page(site)) == []
    # the new service has its page; the removed one has none
    assert (site / YEAR_PATH / "/".join(ADDED_SERVICE) / "index.html").is_file()
    assert not (site / YEAR_PATH / "/".join(REMOVED_SERVICE)).exists()


def test_the_published_site_carries_2027_its_changes_page_and_export(site):
    """What publishing gives: the edition as published (no draft mark, the new fee), the page of
    the changes from 2026, its export, and the home page's link to it."""
    _, service, _, _, new, _, _ = FEES[0]
    page = (site / YEAR_PATH / "other-services" / service / "index.html").read_text(encoding="utf-8")
    assert _amount(new) in page
    assert "Draft edition" not in (site / YEAR_PATH / "index.html").read_text(encoding="utf-8")
    assert (site / "changes" / f"{BASE}-{YEAR}" / "index.html").is_file()
    assert json.loads((site / "data" / f"{YEAR}.json").read_text(encoding="utf-8"))["year"] == YEAR
    assert f'href="{YEAR}/' in (site / "index.html").read_text(encoding="utf-8")


YEAR_PATH = str(YEAR)


def _primary_nav_removed(page: str) -> str:
    """The page without its primary navigation (it lists every edition and every changes page)."""
    start = page.find('<nav class="md-nav md-nav--primary"')
    if start == -1:
        return page
    depth, at = 0, start
    for tag in re.finditer(r"<nav\b|</nav>", page[start:]):
        depth += 1 if tag.group() != "</nav>" else -1
        if depth == 0:
            at = start + tag.end()
            break
    return page[:start] + page[at:]


# What publishing a later edition changes on an earlier edition's pages, and nothing else:
LATER_EDITION = [
    # "You are reading the 2025 edition, which is archived. Go to the current 2026 edition": names the current one
    re.compile(r'<div class="gb-banner gb-banner--archived" role="note">.*?</div>\n*', re.S),
    # "This service in other editions": a line for the new edition (or "not in this edition")
    re.compile(rf'<li>(?:<a href="[^"]*/{YEAR}/[^"]*">)?{YEAR}: [^\n]*</li>\n'),
    # the edition home's link to the changes into the new edition
    re.compile(rf'<li><a href="[^"]*changes/\d{{4}}-{YEAR}/">[^<]*</a></li>\n'),
]
STATUS = re.compile(r"(<li><strong>\d{4}</strong> )\([^)<]*\)(</li>)")  # that list's (current) / (archived)


def _as_before(page: str) -> str:
    page = _primary_nav_removed(page)
    for pattern in LATER_EDITION:
        page = pattern.sub("", page)
    return STATUS.sub(r"\1(status)\2", page)


def test_2025_and_2026_are_published_as_before(site, real_site):
    """Every file of 2025 and 2026 is the real site's, byte for byte, except what names the editions
    there are: each HTML page's navigation (every page lists the editions and their changes pages),
    the archived banner (names the current edition), a service page's list of the service in other
    editions (a line for 2027; 2026 now archived) and 2026's home page (its link to the 2026→2027
    changes). Outside those parts every page is byte-identical; the data files are wholly."""
    years = (BASE - 1, BASE)
    def of_2025_or_2026(path: Path) -> bool:
        if path.parts[0] == "data":  # the editions' exports and the 2025→2026 changes in every format
            return path.stem in map(str, years) or f"changes-{years[0]}-{years[1]}" in path.name
        return path.parts[0] in map(str, years) or path.parts[:2] in {("ru", str(y)) for y in years}

    files = sorted(p for p in (p.relative_to(real_site) for p in real_site.rglob("*") if p.is_file())
                   if of_2025_or_2026(p))
    assert len(files) > 300 and Path("data/changes-2025-2026.xlsx") in files
    differ, named = [], 0
    for path in files:
        old, new = (real_site / path).read_bytes(), (site / path).read_bytes()
        if old == new:
            continue
        if path.suffix == ".html" and _as_before(old.decode()) == _as_before(new.decode()):
            named += 1
            continue
        differ.append(str(path))
    assert differ == []
    assert named > 0  # the parts above did change: every page's navigation lists 2027


def _effects(diff_json: str) -> dict[str, str]:
    """Each change record of `diff BASE YEAR` (kind, action, service, id) → the effect of the
    register entry that covers it."""
    document = json.loads(diff_json)
    effect = {entry["id"]: entry["effect"] for entry in document.get("entries", [])}
    return {f'{m["kind"]} {m["action"]} {m["service"]} {m["id"]}': effect.get(m["entry"], "") for group in document["changes"]
            for m in group["members"]}


def test_register_draft_explains_2027_as_the_editor_did(journey):
    """The editor's way to the register: `register draft` on the draft, read, `draft: true` taken
    out, published. Its effects are those the hand-written register gives (the table of the edits),
    save where the facts alone do not settle the editor's reading (listed); its text is golden."""
    status, out, err = journey.said["register draft"]
    assert (status, err) == (0, ""), err
    assert out.startswith(f"drafted 14 entries in editions/{YEAR}/changes.yaml"), out  # as many as the editor wrote
    assert_golden(GOLDEN, journey.drafted)
    assert journey.drafted.startswith("# yaml-language-server: $schema=../../schemas/changes.schema.json\n")
    drafted, by_hand = (_effects(journey.said[step][1]) for step in ("diff json (drafted)", "diff json"))
    assert set(drafted) == set(by_hand) and all(drafted.values())
    assert {k: (by_hand[k], drafted[k]) for k in drafted if drafted[k] != by_hand[k]} == DRAFT_READS_OTHERWISE
    entries = list(roundtrip.load(journey.drafted)["entries"])
    assert all(entry["draft"] is True for entry in entries)
    # the MCI and its state fees one entry, the cover's year and date the edition's details, one entry
    (indexed,) = [e for e in entries if e["effect"] == "fees-indexed"]
    assert {"group": "mci"} in [dict(s) for s in indexed["covers"]]
    assert "1 MCI: 4 325 → 4 500 KZT" in indexed["summary"]["en"]
    assert [e["effect"] for e in entries].count("edition-details") == 1
    # nothing left uncovered; a second run drafts nothing
    status, out, err = journey.said["validate 2027 (drafted)"]
    assert (status, err) == (0, "") and "not yet covered" not in out, out + err
    assert journey.said["register draft again"][1].startswith("nothing to draft")
    # read and accepted by the editor: `draft: true` out, published; validate takes it
    status, out, err = journey.said["validate 2027 (published, drafted register read)"]
    assert (status, err) == (0, "") and out.startswith(f"{YEAR}: ok (published, "), out + err


# Where the drafted effect differs from the editor's (record → (editor's, drafted)), because the
# facts alone do not settle it: none for these edits (on the real 2025 → 2026 pair, 26 of 88).
DRAFT_READS_OTHERWISE: dict[str, tuple[str, str]] = {}
