from .customers import (
    Account,
    AccountFlag,
    AccountNote,
    AccountPerson,
    Contact,
    Person,
    validate_account_number,
)
from .deposits import Deposit
from .field import FieldActivity
from .ledger import GLAccount, JournalEntry, JournalLeg
from .letters import Letter, LetterTemplate
from .premises import (
    Meter,
    MeterInstallation,
    MeterRead,
    Premise,
    ProgramEnrolment,
    ServiceAgreement,
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
    "ServicePoint",
    "Utility",
    "validate_account_number",
]
