from accounts.models.customers import (
    Account,
    AccountFlag,
    AccountNote,
    AccountPerson,
    Contact,
    Person,
    validate_account_number,
)
from accounts.models.deposits import Deposit
from accounts.models.field import FieldActivity
from accounts.models.ledger import GLAccount, JournalEntry, JournalLeg
from accounts.models.letters import Letter, LetterTemplate
from accounts.models.premises import (
    Meter,
    MeterInstallation,
    MeterRead,
    Premise,
    ProgramEnrolment,
    ServiceAgreement,
    ServiceArea,
    ServicePoint,
    Utility,
)

__all__ = [
    "Account",
    "AccountFlag",
    "AccountNote",
    "AccountPerson",
    "Contact",
    "Deposit",
    "FieldActivity",
    "GLAccount",
    "JournalEntry",
    "JournalLeg",
    "Letter",
    "LetterTemplate",
    "Meter",
    "MeterInstallation",
    "MeterRead",
    "Person",
    "Premise",
    "ProgramEnrolment",
    "ServiceAgreement",
    "ServiceArea",
    "ServicePoint",
    "Utility",
    "validate_account_number",
]
