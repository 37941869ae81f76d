"""The auditor's access report: roles, grants, RLS and policies, with findings."""

from .assemble import build_report
from .model import REPORT_VERSION, Finding, Report, Settings

__all__ = ["REPORT_VERSION", "Finding", "Report", "Settings", "build_report"]
