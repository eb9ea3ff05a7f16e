"""Runs in the tenant schema: an organization's own mentoring data.

One module per area; everything is re-exported here so `institutional.models.X` works.
"""

from institutional.models.appointments import Appointment, StaffListReview
from institutional.models.audit import AuditEvent, GroupObjectPermission, UserObjectPermission
from institutional.models.banks import (
    MenteeCategory,
    MenteeEntry,
    MentorAchievement,
    MentorEntry,
    MentorTraining,
    Visibility,
)
from institutional.models.consents import Consent, ConsentKind
from institutional.models.matching import MatchingRound, MatchPreference, MatchProposal
from institutional.models.news import News
from institutional.models.notifications import Notification
from institutional.models.pairs import (
    EndReason,
    MentorReplacement,
    Order,
    Pair,
    PairForm,
    PairKind,
    PairMentee,
    ReplacementReason,
)
from institutional.models.programs import (
    InteractionFormat,
    Meeting,
    MeetingAttendance,
    MeetingMode,
    Program,
    ProgramActivity,
    ProgramChange,
)
from institutional.models.questionnaires import (
    Answer,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireRun,
    Response,
)
from institutional.models.regulation import RegulationVersion
from institutional.models.reports import AnnualReport, FinalReport
from institutional.models.roadmap import ActivityEvidence, Roadmap, RoadmapActivity, RoadmapStage
from institutional.models.staff import QualificationCategory, Staff

__all__ = [
    "ActivityEvidence",
    "AnnualReport",
    "Answer",
    "Appointment",
    "AuditEvent",
    "Consent",
    "ConsentKind",
    "EndReason",
    "FinalReport",
    "GroupObjectPermission",
    "InteractionFormat",
    "MatchPreference",
    "MatchProposal",
    "MatchingRound",
    "Meeting",
    "MeetingAttendance",
    "MeetingMode",
    "MenteeCategory",
    "MenteeEntry",
    "MentorAchievement",
    "MentorEntry",
    "MentorReplacement",
    "MentorTraining",
    "News",
    "Notification",
    "Order",
    "Pair",
    "PairForm",
    "PairKind",
    "PairMentee",
    "Program",
    "ProgramActivity",
    "ProgramChange",
    "QualificationCategory",
    "Question",
    "Questionnaire",
    "QuestionnaireKind",
    "QuestionnaireRun",
    "RegulationVersion",
    "ReplacementReason",
    "Response",
    "Roadmap",
    "RoadmapActivity",
    "RoadmapStage",
    "Staff",
    "StaffListReview",
    "UserObjectPermission",
    "Visibility",
]
